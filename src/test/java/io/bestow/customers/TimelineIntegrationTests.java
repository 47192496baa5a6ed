package io.bestow.customers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bestow.ApiAssertions;
import io.bestow.BestowTest;
import io.bestow.identity.IdentityFixtures;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

@BestowTest
class TimelineIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    IdentityFixtures fixtures;

    @Test
    void trackingAnEventForANewCustomerCreatesItAndPutsTheEventOnItsTimeline() {
        var tenant = fixtures.tenant(port);
        var api = tenant.api();
        var tracked = api.post(
                "/v1/events",
                "{\"event\": \"signed_up\", \"customer\": {\"source_id\": \"new-1\", \"email\": \"new@example.com\"},"
                        + " \"metadata\": {\"plan\": \"pro\"}}");
        assertThat(tracked.status()).as(tracked.toString()).isEqualTo(200);
        assertThat(tracked.json().get("object").asString()).isEqualTo("event");
        assertThat(tracked.json().get("type").asString()).isEqualTo("signed_up");
        assertThat(tracked.json().get("customer").get("id").asString()).startsWith("cust_");

        api.post("/v1/events", "{\"event\": \"emails_sent\", \"customer\": {\"source_id\": \"new-1\"}}");
        var timeline = api.get("/v1/customers/new-1/activity").json();
        assertThat(timeline.get("data_ref").asString()).isEqualTo("data");
        assertThat(timeline.get("data").findValuesAsString("name")).containsExactly("emails_sent", "signed_up");
        assertThat(timeline.get("data")
                        .get(1)
                        .get("data")
                        .get("metadata")
                        .get("plan")
                        .asString())
                .isEqualTo("pro");
        assertThat(api.get("/v1/customers/new-1").json().get("email").asString())
                .isEqualTo("new@example.com");

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(api.get("/v1/events?type=customer.custom_event")
                                .json()
                                .get("total")
                                .asInt())
                        .isEqualTo(2));
    }

    @Test
    void timelinePagesNewestFirstWithACursor() {
        var api = fixtures.tenant(port).api();
        for (int i = 1; i <= 5; i++) {
            api.post("/v1/events", "{\"event\": \"step_" + i + "\", \"customer\": {\"source_id\": \"pager\"}}");
        }
        var first = api.get("/v1/customers/pager/activity?limit=2").json();
        assertThat(first.get("data").findValuesAsString("name")).containsExactly("step_5", "step_4");
        assertThat(first.get("has_more").asBoolean()).isTrue();
        var next = api.get("/v1/customers/pager/activity?limit=2&starting_after_id="
                        + first.get("more_starting_after").asString())
                .json();
        assertThat(next.get("data").findValuesAsString("name")).containsExactly("step_3", "step_2");
    }

    @Test
    void milestonesAreMarkedOnceAndBackfilledWhenDeclaredLate() {
        var api = fixtures.tenant(port).api();
        api.post("/v1/events", "{\"event\": \"first_order\", \"customer\": {\"source_id\": \"early\"}}");
        var declared = api.post("/v1/milestones", "{\"name\": \"First order\", \"event\": \"first_order\"}");
        assertThat(declared.status()).isEqualTo(201);
        ApiAssertions.assertError(api.post("/v1/milestones", "{\"name\": \"First order\"}"), 409, "duplicate_found");

        api.post("/v1/events", "{\"event\": \"first_order\", \"customer\": {\"source_id\": \"late\"}}");
        api.post("/v1/events", "{\"event\": \"first_order\", \"customer\": {\"source_id\": \"late\"}}");

        assertThat(api.get("/v1/customers/early/milestones")
                        .json()
                        .get("milestones")
                        .findValuesAsString("name"))
                .containsExactly("First order");
        assertThat(api.get("/v1/customers/late/milestones").json().get("total").asInt())
                .isEqualTo(1);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(api.get("/v1/events?type=customer.milestone.reached")
                                .json()
                                .get("total")
                                .asInt())
                        .isEqualTo(1));
    }

    @Test
    void rejectsAnEventWithoutNameOrCustomer() {
        var api = fixtures.tenant(port).api();
        var bad = api.post("/v1/events", "{\"customer\": {\"name\": \"nobody\"}, \"metadata\": 3}");
        ApiAssertions.assertError(bad, 422, "invalid_payload");
        assertThat(bad.json().get("details").propertyNames()).contains("event", "customer", "metadata");
        ApiAssertions.assertError(
                api.post("/v1/events", "{\"event\": \"x\", \"customer\": {\"source_id\": \"s\", \"email\": \"bad\"}}"),
                422,
                "invalid_payload");
        assertThat(api.get("/v1/customers").json().get("total").asInt()).isZero();
    }
}
