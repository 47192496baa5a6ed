package io.bestow.customers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bestow.ApiAssertions;
import io.bestow.BestowTest;
import io.bestow.TestApi;
import io.bestow.identity.IdentityFixtures;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

@BestowTest
class SegmentsIntegrationTests {

    static final String GOLD_IN_GERMANY = "customer.metadata.tier == 'gold' && customer.address.country == 'DE'";

    @LocalServerPort
    int port;

    @Autowired
    IdentityFixtures fixtures;

    @Test
    void rejectsABadFilterPointingAtTheProblem() {
        var api = fixtures.tenant(port).api();
        var bad = api.post("/v1/segments", "{\"name\": \"Broken\", \"filter\": \"customer.metadata.tier == \"}");
        ApiAssertions.assertError(bad, 422, "invalid_expression");
        var error = bad.json().get("details").get("errors").get(0);
        assertThat(error.get("line").asInt()).isEqualTo(1);
        assertThat(error.get("column").asInt()).isGreaterThan(1);
        assertThat(error.get("message").asString()).isNotBlank();

        ApiAssertions.assertError(
                api.post("/v1/segments", "{\"name\": \"Not a predicate\", \"filter\": \"1 + 2\"}"),
                422,
                "invalid_expression");
        ApiAssertions.assertError(
                api.post("/v1/segments", "{\"name\": \"\", \"filter\": \"true\"}"), 422, "invalid_payload");
        assertThat(api.get("/v1/segments").json().get("total").asInt()).isZero();
    }

    @Test
    void fillsANewSegmentWithTheCustomersThatMatchNow() {
        var api = fixtures.tenant(port).api();
        customer(api, "g1", "gold", "DE");
        customer(api, "g2", "gold", "FR");
        customer(api, "g3", "basic", "DE");
        api.post("/v1/customers", "{\"source_id\": \"no-metadata\"}");

        var segment = api.post(
                        "/v1/segments", "{\"name\": \"Gold in Germany\", \"filter\": \"" + GOLD_IN_GERMANY + "\"}")
                .json();
        assertThat(segment.get("id").asString()).startsWith("seg_");
        assertThat(segment.get("size").asInt()).isEqualTo(1);
        var id = segment.get("id").asString();
        assertThat(members(api, id)).containsExactly("g1");
        assertThat(api.get("/v1/customers?segment_id=" + id)
                        .json()
                        .get("customers")
                        .findValuesAsString("source_id"))
                .containsExactly("g1");
    }

    @Test
    void upsertsMoveCustomersInAndOutAndSayWhenTheyDo() {
        var tenant = fixtures.tenant(port);
        var api = tenant.api();
        var id = api.post("/v1/segments", "{\"name\": \"Gold DE\", \"filter\": \"" + GOLD_IN_GERMANY + "\"}")
                .json()
                .get("id")
                .asString();

        customer(api, "mover", "gold", "DE");
        assertThat(members(api, id)).containsExactly("mover");
        customer(api, "mover", "gold", "AT");
        assertThat(members(api, id)).isEmpty();
        customer(api, "mover", "gold", "DE");
        assertThat(members(api, id)).containsExactly("mover");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var events = api.get("/v1/events?limit=100").json().get("events");
            var types = events.findValuesAsString("type").stream()
                    .filter(t -> t.startsWith("customer.segment."))
                    .toList();
            assertThat(types)
                    .containsExactly("customer.segment.entered", "customer.segment.left", "customer.segment.entered");
        });
        var entered = api.get("/v1/events?type=customer.segment.entered")
                .json()
                .get("events")
                .get(0);
        assertThat(entered.get("data").get("object").get("segment").get("id").asString())
                .isEqualTo(id);
        assertThat(entered.get("data")
                        .get("object")
                        .get("customer")
                        .get("source_id")
                        .asString())
                .isEqualTo("mover");
    }

    @Test
    void segmentsBelongToTheirProject() {
        var a = fixtures.tenant(port);
        var b = fixtures.tenant(port);
        var id = a.api()
                .post("/v1/segments", "{\"name\": \"Everyone\", \"filter\": \"true\"}")
                .json()
                .get("id")
                .asString();
        customer(b.api(), "b-customer", "gold", "DE");

        assertThat(b.api().get("/v1/segments/" + id).status()).isEqualTo(404);
        assertThat(b.api().get("/v1/segments/" + id + "/members").status()).isEqualTo(404);
        assertThat(b.api().delete("/v1/segments/" + id).status()).isEqualTo(404);
        assertThat(members(a.api(), id)).isEmpty();
        assertThat(a.api().delete("/v1/segments/" + id).status()).isEqualTo(204);
    }

    private static void customer(TestApi api, String sourceId, String tier, String country) {
        var response = api.post(
                "/v1/customers",
                "{\"source_id\": \"" + sourceId + "\", \"metadata\": {\"tier\": \"" + tier
                        + "\"}, \"address\": {\"country\": \"" + country + "\"}}");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    private static List<String> members(TestApi api, String segmentId) {
        return api.get("/v1/segments/" + segmentId + "/members?limit=100")
                .json()
                .get("customers")
                .findValuesAsString("source_id");
    }
}
