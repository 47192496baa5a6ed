package io.bestow.gifts;

import static org.assertj.core.api.Assertions.assertThat;

import io.bestow.TestApi;
import io.bestow.shared.Ids;
import tools.jackson.databind.JsonNode;

/** Budgets, catalog gifts, recipients and sends for tests, made over the API of one project. */
public record GiftFixtures(TestApi api) {

    /** A team budget in USD with this much available. */
    public JsonNode budget(long available, String settings) {
        var budget = created(api.post(
                "/v1/budgets", """
                {"name": "Team %s", "owner": {"type": "team", "id": "team-%s"}, "currency": "USD"%s}
                """.formatted(Ids.random(4), Ids.random(6), settings.isEmpty() ? "" : ", " + settings)));
        if (available > 0) {
            created(api.post(
                    "/v1/budgets/" + budget.get("id").asString() + "/top-ups", "{\"amount\": " + available + "}"));
        }
        return budget;
    }

    public JsonNode budget(long available) {
        return budget(available, "");
    }

    /** An e-gift of the sandbox provider, costing this much. */
    public JsonNode egift(long cost) {
        return created(api.post("/v1/gifts", """
                {"name": "Coffee %s", "type": "EGIFT", "cost": %d, "currency": "USD", "face_value": %d}
                """.formatted(Ids.random(4), cost, cost)));
    }

    /** A physical item of the sandbox provider that ships to the US and Germany. */
    public JsonNode physical(long cost, long shipping) {
        return created(api.post("/v1/gifts", """
                {"name": "Hoodie %s", "type": "PHYSICAL", "cost": %d, "shipping_cost": %d, "currency": "USD",
                 "sku": "HD-1", "ships_to": ["US", "DE"]}
                """.formatted(Ids.random(4), cost, shipping)));
    }

    /**
     * A gift (costing 10.00, provider reference {@code touch-42}) fulfilled through a Sendoso-style external action
     * at {@code baseUrl}: {@code POST /api/v3/send}, no retries of its own, the answer's {@code send_id} as output.
     */
    public JsonNode connectorGift(String type, String baseUrl) {
        var connector = created(api.post("/v1/connectors", """
                {"name": "Gifting %s", "base_url": "%s", "auth": {"type": "none"}}
                """.formatted(Ids.random(4), baseUrl)));
        var action = created(api.post(
                "/v1/actions", """
                {"name": "Send touch %s", "connector_id": "%s", "method": "POST", "url": "/api/v3/send",
                 "retry": {"max_attempts": 1},
                 "body": "{\\"touch_id\\": \\"{{ gift.touch_id }}\\", \\"email\\": \\"{{ customer.email }}\\", \\"country\\": \\"{{ customer.address.country }}\\", \\"confirm_address\\": {{ confirm_address | json }}, \\"message\\": \\"{{ message }}\\"}",
                 "outputs": {"send_id": "$.send_id"}}
                """.formatted(Ids.random(4), connector.get("id").asString())));
        var shipping = type.equals("PHYSICAL") ? ", \"ships_to\": [\"DE\"]" : "";
        return created(
                api.post("/v1/gifts", """
                {"name": "Touch", "type": "%s", "cost": 1000, "currency": "USD", "provider": "connector",
                 "action_id": "%s", "provider_ref": "touch-42"%s}
                """.formatted(type, action.get("id").asString(), shipping)));
    }

    /** A customer with every field a physical gift needs, living in Germany. */
    public String recipient() {
        var sourceId = "r-" + Ids.random(8);
        assertThat(api.post("/v1/customers", """
                        {"source_id": "%s", "first_name": "Claire", "last_name": "Doe", "email": "%s@example.com",
                         "address": {"line_1": "1 Hauptstr.", "city": "Berlin", "postal_code": "10115", "country": "DE"}}
                        """.formatted(sourceId, sourceId)).status())
                .isIn(200, 201);
        return sourceId;
    }

    public TestApi.Response send(JsonNode gift, JsonNode budget, String recipient, String more) {
        return api.post("/v1/sends", """
                {"gift_id": "%s", "budget_id": "%s", "recipient": {"source_id": "%s"}%s}
                """.formatted(
                gift.get("id").asString(), budget.get("id").asString(), recipient, more.isEmpty() ? "" : ", " + more));
    }

    public JsonNode sent(JsonNode gift, JsonNode budget, String recipient) {
        return created(send(gift, budget, recipient, ""));
    }

    public JsonNode get(String path) {
        var response = api.get(path);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    public JsonNode ledgerCheck() {
        return get("/v1/budgets/ledger-check");
    }

    public static JsonNode created(TestApi.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json();
    }
}
