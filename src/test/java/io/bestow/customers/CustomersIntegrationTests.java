package io.bestow.customers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bestow.ApiAssertions;
import io.bestow.BestowTest;
import io.bestow.TestApi;
import io.bestow.identity.IdentityFixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

@BestowTest
class CustomersIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    JdbcClient jdbc;

    @Test
    void createsThenUpsertsBySourceIdChangingOnlyTheGivenFields() {
        var api = fixtures.tenant(port).api();
        var created = api.post("/v1/customers", """
                {"source_id": "crm-1", "name": "Claire Doe", "first_name": "Claire", "last_name": "Doe",
                 "email": "claire@example.com", "phone": "+49 30 123", "address": {"city": "Berlin", "country": "de"},
                 "metadata": {"tier": "gold", "visits": 3}}
                """);
        assertThat(created.status()).isEqualTo(200);
        var customer = created.json();
        assertThat(customer.get("id").asString()).startsWith("cust_");
        assertThat(customer.get("object").asString()).isEqualTo("customer");
        assertThat(customer.get("address").get("country").asString()).isEqualTo("DE");
        assertThat(customer.get("metadata").get("visits").asInt()).isEqualTo(3);
        assertThat(customer.get("summary")
                        .get("redemptions")
                        .get("total_redeemed")
                        .asInt())
                .isZero();
        assertThat(customer.has("loyalty")).isTrue();
        assertThat(customer.has("referrals")).isTrue();

        var upserted = api.post("/v1/customers", "{\"source_id\": \"crm-1\", \"email\": \"claire@new.example\"}")
                .json();
        assertThat(upserted.get("id").asString()).isEqualTo(customer.get("id").asString());
        assertThat(upserted.get("email").asString()).isEqualTo("claire@new.example");
        assertThat(upserted.get("name").asString()).isEqualTo("Claire Doe");
        assertThat(upserted.get("address").get("city").asString()).isEqualTo("Berlin");

        var byId = api.post("/v1/customers", "{\"id\": \"" + customer.get("id").asString() + "\", \"phone\": null}")
                .json();
        assertThat(byId.has("phone")).isFalse();
        assertThat(api.get("/v1/customers?limit=100").json().get("total").asInt())
                .isEqualTo(1);
    }

    @Test
    void readsUpdatesAndDeletesByIdOrSourceId() {
        var api = fixtures.tenant(port).api();
        var id = api.post("/v1/customers", "{\"source_id\": \"crm-7\", \"name\": \"Ann\"}")
                .json()
                .get("id")
                .asString();

        assertThat(api.get("/v1/customers/crm-7").json().get("id").asString()).isEqualTo(id);
        assertThat(api.get("/v1/customers/" + id).json().get("source_id").asString())
                .isEqualTo("crm-7");

        var updated =
                api.put("/v1/customers/crm-7", "{\"description\": \"VIP\", \"metadata\": {\"tier\": \"silver\"}}");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("name").asString()).isEqualTo("Ann");
        assertThat(updated.json().get("description").asString()).isEqualTo("VIP");

        assertThat(api.delete("/v1/customers/crm-7").status()).isEqualTo(204);
        ApiAssertions.assertError(api.get("/v1/customers/" + id), 404, "not_found");
        ApiAssertions.assertError(api.delete("/v1/customers/" + id), 404, "not_found");
    }

    @Test
    void permanentDeletionErasesTheProfile() {
        var api = fixtures.tenant(port).api();
        var id = api.post("/v1/customers", "{\"source_id\": \"gdpr-1\", \"email\": \"forget@example.com\"}")
                .json()
                .get("id")
                .asString();

        var deletion = api.post("/v1/customers/gdpr-1/permanent-deletion", "");
        assertThat(deletion.status()).isEqualTo(200);
        assertThat(deletion.json().get("object").asString()).isEqualTo("pernament_deletion");
        assertThat(deletion.json().get("related_object_id").asString()).isEqualTo(id);
        assertThat(deletion.json().get("status").asString()).isEqualTo("DONE");
        assertThat(jdbc.sql("SELECT count(*) FROM customers.customers WHERE email = 'forget@example.com'")
                        .query(Long.class)
                        .single())
                .isZero();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var stream = api.get("/v1/events?limit=100");
            assertThat(stream.body()).contains(id).doesNotContain("forget@example.com");
            assertThat(stream.json().get("events").findValuesAsString("type"))
                    .contains("customer.created", "customer.deleted", "customer.erased");
        });
    }

    @Test
    void rejectsBadInputPerFieldAndWritesNothing() {
        var tenant = fixtures.tenant(port);
        var api = tenant.api();
        var bad = api.post("/v1/customers", """
                {"source_id": "bad-1", "email": "not-an-email", "address": {"country": "XX"}, "birthdate": "yesterday",
                 "name": {"first": "x"}}
                """);
        ApiAssertions.assertError(bad, 422, "invalid_payload");
        assertThat(bad.json().get("details").propertyNames()).contains("email", "address.country", "birthdate", "name");

        var big = api.post(
                "/v1/customers",
                "{\"source_id\": \"bad-2\", \"metadata\": {\"blob\": \"" + "x".repeat(20_000) + "\"}}");
        ApiAssertions.assertError(big, 422, "invalid_payload");
        assertThat(big.json().get("details").get("metadata").asString()).contains("16384 bytes");

        ApiAssertions.assertError(api.post("/v1/customers", "{\"metadata\": [1]}"), 422, "invalid_payload");
        ApiAssertions.assertError(api.post("/v1/customers", "[]"), 422, "invalid_payload");
        ApiAssertions.assertError(api.post("/v1/customers", "{\"email\": "), 400, "malformed_json");
        ApiAssertions.assertError(
                api.post("/v1/customers", "{\"id\": \"cust_unknown\", \"name\": \"x\"}"), 404, "not_found");
        assertThat(api.get("/v1/customers").json().get("total").asInt()).isZero();
    }

    @Test
    void fiftyParallelUpsertsOfOneSourceIdMakeExactlyOneCustomer() throws Exception {
        var tenant = fixtures.tenant(port);
        var start = new CountDownLatch(1);
        var results = new ArrayList<CompletableFuture<TestApi.Response>>();
        try (var pool = Executors.newFixedThreadPool(50)) {
            for (int i = 0; i < 50; i++) {
                int n = i;
                results.add(CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                start.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return tenant.api()
                                    .post(
                                            "/v1/customers",
                                            "{\"source_id\": \"race\", \"metadata\": {\"n\": " + n + "}}");
                        },
                        pool));
            }
            start.countDown();
            var responses = results.stream().map(CompletableFuture::join).toList();
            assertThat(responses).allMatch(r -> r.status() == 200);
            assertThat(responses.stream()
                            .map(r -> r.json().get("id").asString())
                            .distinct())
                    .hasSize(1);
        }
        assertThat(jdbc.sql("SELECT count(*) FROM customers.customers WHERE project_id = ? AND source_id = 'race'")
                        .param(tenant.project().value())
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> tenant.api()
                                .get("/v1/events?type=customer.created")
                                .json()
                                .get("total")
                                .asInt()
                        == 1);
    }

    @Test
    void listsWithFiltersOrderAndCursor() {
        var api = fixtures.tenant(port).api();
        for (int i = 1; i <= 5; i++) {
            api.post(
                    "/v1/customers",
                    "{\"source_id\": \"c" + i + "\", \"name\": \"Name " + i + "\", \"email\": \"c" + i
                            + "@example.com\", \"address\": {\"city\": \"" + (i % 2 == 0 ? "Paris" : "Rome")
                            + "\"}, \"metadata\": {\"tier\": \"" + (i <= 2 ? "gold" : "basic") + "\"}}");
        }
        assertThat(sourceIds(api.get("/v1/customers?email=C3@EXAMPLE.COM"))).containsExactly("c3");
        assertThat(sourceIds(api.get("/v1/customers?city=paris"))).containsExactly("c4", "c2");
        assertThat(sourceIds(api.get("/v1/customers?metadata%5Btier%5D=gold&order=created_at")))
                .containsExactly("c1", "c2");
        assertThat(sourceIds(api.get("/v1/customers?order=-source_id&limit=2"))).containsExactly("c5", "c4");

        var firstPage = api.get("/v1/customers?limit=2&order=created_at").json();
        assertThat(firstPage.get("has_more").asBoolean()).isTrue();
        assertThat(firstPage.get("total").asInt()).isEqualTo(5);
        var lastId = firstPage.get("customers").get(1).get("id").asString();
        assertThat(sourceIds(api.get("/v1/customers?order=created_at&limit=10&starting_after=" + lastId)))
                .containsExactly("c3", "c4", "c5");
        assertThat(sourceIds(api.get("/v1/customers?limit=2&page=3"))).containsExactly("c1");
        var newestFirst = api.get("/v1/customers?limit=2").json().get("customers");
        var cursor = newestFirst.get(1).get("created_at").asString();
        assertThat(sourceIds(api.get("/v1/customers?starting_after=" + cursor))).containsExactly("c3", "c2", "c1");
        assertThat(sourceIds(api.get("/v1/customers?created_at%5Bafter%5D=2000-01-01")))
                .hasSize(5);
        assertThat(sourceIds(api.get("/v1/customers?created_at%5Bbefore%5D=2000-01-01")))
                .isEmpty();

        ApiAssertions.assertError(api.get("/v1/customers?order=shoe_size"), 400, "invalid_query_params");
        ApiAssertions.assertError(
                api.get("/v1/customers?created_at%5Bafter%5D=yesterday"), 400, "invalid_query_params");
    }

    @Test
    void emitsCreatedUpdatedAndDeletedEventsButNoneForAnUnchangedSync() {
        var tenant = fixtures.tenant(port);
        var api = tenant.api();
        api.post("/v1/customers", "{\"source_id\": \"ev-1\", \"name\": \"Eve\"}");
        api.post("/v1/customers", "{\"source_id\": \"ev-1\", \"name\": \"Eve\"}");
        api.post("/v1/customers", "{\"source_id\": \"ev-1\", \"name\": \"Eve Adams\"}");
        api.delete("/v1/customers/ev-1");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var types = api.get("/v1/events?limit=100").json().get("events").findValuesAsString("type");
            assertThat(types)
                    .filteredOn(t -> t.startsWith("customer."))
                    .containsExactlyInAnyOrder("customer.created", "customer.updated", "customer.deleted");
        });
    }

    @Test
    void anotherProjectCannotSeeOrTouchTheCustomer() {
        var a = fixtures.tenant(port);
        var b = fixtures.tenant(port);
        var id = a.api()
                .post("/v1/customers", "{\"source_id\": \"mine\"}")
                .json()
                .get("id")
                .asString();

        assertThat(b.api().get("/v1/customers/" + id).status()).isEqualTo(404);
        assertThat(b.api().get("/v1/customers/mine").status()).isEqualTo(404);
        assertThat(b.api().put("/v1/customers/" + id, "{\"name\": \"x\"}").status())
                .isEqualTo(404);
        assertThat(b.api().delete("/v1/customers/" + id).status()).isEqualTo(404);
        assertThat(b.api().post("/v1/customers", "{\"id\": \"" + id + "\"}").status())
                .isEqualTo(404);
        assertThat(b.api().get("/v1/customers").json().get("total").asInt()).isZero();
        // The same source id in another project is another customer.
        var theirs = b.api()
                .post("/v1/customers", "{\"source_id\": \"mine\"}")
                .json()
                .get("id")
                .asString();
        assertThat(theirs).isNotEqualTo(id);
        assertThat(a.api().get("/v1/customers/mine").json().has("name")).isFalse();
    }

    private static java.util.List<String> sourceIds(TestApi.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json().get("customers").findValuesAsString("source_id");
    }
}
