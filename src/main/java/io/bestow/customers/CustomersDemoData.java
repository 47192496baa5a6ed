package io.bestow.customers;

import io.bestow.shared.DemoData;
import io.bestow.shared.ProjectId;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Demo data of the customers module: 300 customers across countries and tiers, and a segment of them. */
@Component
class CustomersDemoData implements DemoData {

    static final int CUSTOMERS = 300;
    private static final List<String> FIRST =
            List.of("Claire", "Jonas", "Amira", "Luca", "Sofia", "Mateo", "Yuki", "Noah", "Ines", "Omar");
    private static final List<String> LAST =
            List.of("Doe", "Schmidt", "Rossi", "Dubois", "Garcia", "Tanaka", "Novak", "Silva", "Berg", "Haddad");
    private static final List<String> COUNTRIES = List.of("DE", "FR", "US", "GB", "ES", "IT", "NL", "JP");
    private static final List<String> CITIES =
            List.of("Berlin", "Paris", "New York", "London", "Madrid", "Rome", "Amsterdam", "Tokyo");
    private static final List<String> TIERS = List.of("gold", "silver", "basic", "basic");

    private final CustomerManagement customers;
    private final SegmentManagement segments;
    private final JsonMapper json;

    CustomersDemoData(CustomerManagement customers, SegmentManagement segments, JsonMapper json) {
        this.customers = customers;
        this.segments = segments;
        this.json = json;
    }

    @Override
    public void seed(ProjectId project) {
        for (int i = 1; i <= CUSTOMERS; i++) {
            var first = FIRST.get(i % FIRST.size());
            var last = LAST.get((i / FIRST.size()) % LAST.size());
            var place = i % COUNTRIES.size();
            var customer = json.createObjectNode()
                    .put("source_id", "demo-%04d".formatted(i))
                    .put("name", first + " " + last)
                    .put("first_name", first)
                    .put("last_name", last)
                    .put(
                            "email",
                            "%s.%s.%d@demo.example".formatted(first, last, i).toLowerCase());
            customer.putObject("address").put("city", CITIES.get(place)).put("country", COUNTRIES.get(place));
            customer.putObject("metadata")
                    .put("tier", TIERS.get(i % TIERS.size()))
                    .put("orders", i % 17)
                    .put("newsletter", i % 3 == 0);
            customers.upsert(project, customer);
        }
        segments.create(
                project,
                "Gold customers in Germany",
                "customer.metadata.tier == 'gold' && customer.address.country == 'DE'");
    }
}
