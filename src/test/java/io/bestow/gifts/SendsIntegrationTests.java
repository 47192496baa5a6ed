package io.bestow.gifts;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.bestow.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.bestow.BestowTest;
import io.bestow.TestApi;
import io.bestow.identity.IdentityFixtures;
import io.bestow.identity.Role;
import io.bestow.shared.ProjectId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Gift sends over HTTP: both lifecycles, approvals, provider updates, expiry and the provider hand-over. */
@BestowTest
class SendsIntegrationTests {

    static final WireMockServer provider = new WireMockServer(options().dynamicPort());
    static final JsonMapper json = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    IdentityFixtures identity;

    @Autowired
    JdbcTemplate jdbc;

    TestApi api;
    ProjectId project;
    GiftFixtures gifts;

    @BeforeAll
    static void start() {
        provider.start();
    }

    @AfterAll
    static void stop() {
        provider.stop();
    }

    @BeforeEach
    void tenant() {
        provider.resetAll();
        var tenant = identity.tenant(port);
        api = tenant.api();
        project = tenant.project();
        gifts = new GiftFixtures(api);
    }

    @Test
    void walksAnEGiftThroughItsLifecycleAndCapturesOnClaim() {
        var budget = gifts.budget(5000);
        var gift = gifts.egift(1000);
        var recipient = gifts.recipient();

        var send = gifts.sent(gift, budget, recipient);

        assertThat(send.get("id").asString()).startsWith("send_");
        assertThat(send.get("status").asString()).isEqualTo("created");
        assertThat(send.get("funds").asString()).isEqualTo("held");
        assertThat(send.get("cost").asLong()).isEqualTo(1000);
        assertThat(send.get("expires_at").isString()).isTrue();
        var held = gifts.get("/v1/budgets/" + budget.get("id").asString());
        assertThat(held.get("available").asLong()).isEqualTo(4000);
        assertThat(held.get("held").asLong()).isEqualTo(1000);

        var claimed = awaitStatus(send, "claimed");

        assertThat(claimed.get("funds").asString()).isEqualTo("captured");
        assertThat(claimed.get("provider_reference").asString())
                .isEqualTo("sandbox_" + send.get("id").asString());
        assertThat(statuses(claimed.get("history"))).containsExactly("created", "clicked", "claimed");
        assertThat(claimed.get("history").get(1).get("actor").asString()).isEqualTo("provider:sandbox");
        assertThat(claimed.get("ledger"))
                .extracting(e -> e.get("type").asString())
                .containsExactly("hold", "capture");
        var spent = gifts.get("/v1/budgets/" + budget.get("id").asString());
        assertThat(spent.get("available").asLong()).isEqualTo(4000);
        assertThat(spent.get("held").asLong()).isZero();
        assertThat(spent.get("spent").asLong()).isEqualTo(1000);
        assertThat(spent.get("balance").asLong()).isEqualTo(4000);

        var timeline = gifts.get("/v1/customers/" + recipient + "/activity?limit=20");
        assertThat(timeline.get("data"))
                .extracting(a -> a.get("name").asString())
                .contains("send.created", "send.clicked", "send.claimed");
        var events = gifts.get("/v1/events/feed?types=send.created,send.clicked,send.claimed");
        assertThat(events.get("events"))
                .extracting(e -> e.get("type").asString())
                .containsExactly("send.created", "send.clicked", "send.claimed");
        assertThat(gifts.ledgerCheck().get("ok").asBoolean()).isTrue();
    }

    @Test
    void walksAPhysicalGiftThroughAddressConfirmationToDelivery() {
        var budget = gifts.budget(10_000);
        var gift = gifts.physical(4500, 500);
        var recipient = gifts.recipient();

        var send = gifts.created(
                gifts.send(gift, budget, recipient, "\"confirm_address\": true, \"message\": \"Thanks!\""));
        assertThat(send.get("cost").asLong()).isEqualTo(5000);
        assertThat(send.get("address").get("country").asString()).isEqualTo("DE");

        var delivered = awaitStatus(send, "delivered");

        assertThat(statuses(delivered.get("history")))
                .containsExactly("created", "clicked", "address_confirmed", "processed", "shipped", "delivered");
        assertThat(delivered.get("ledger"))
                .extracting(e -> e.get("type").asString())
                .containsExactly("hold", "capture");
        assertThat(delivered.get("funds").asString()).isEqualTo("captured");

        var returned = api.post(
                "/v1/sends/" + send.get("id").asString() + "/status",
                "{\"status\": \"returned\", \"event_id\": \"ret-1\", \"reason\": \"wrong size\"}");
        assertThat(returned.status()).as(returned.toString()).isEqualTo(200);
        assertThat(returned.json().get("send").get("funds").asString()).isEqualTo("refunded");
        var budgetAfter = gifts.get("/v1/budgets/" + budget.get("id").asString());
        assertThat(budgetAfter.get("available").asLong()).isEqualTo(10_000);
        assertThat(budgetAfter.get("spent").asLong()).isZero();
        assertThat(gifts.ledgerCheck().get("ok").asBoolean()).isTrue();
    }

    @Test
    void handsSendsToAnExternalGiftingApiAndAppliesEachProviderUpdateOnce() {
        provider.stubFor(post("/api/v3/send").willReturn(okJson("{\"send_id\": \"sendoso-77\"}")));
        var gift = gifts.connectorGift("PHYSICAL", provider.baseUrl());
        var budget = gifts.budget(10_000);
        var recipient = gifts.recipient();

        var send = gifts.created(gifts.send(gift, budget, recipient, "\"confirm_address\": true, \"message\": \"Hi\""));
        var id = send.get("id").asString();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                        gifts.get("/v1/sends/" + id).path("provider_reference").asString(""))
                .isEqualTo("sendoso-77"));
        var calls = provider.findAll(postRequestedFor(urlPathEqualTo("/api/v3/send")));
        assertThat(calls).hasSize(1);
        var payload = json.readTree(calls.getFirst().getBodyAsString());
        assertThat(payload.get("touch_id").asString()).isEqualTo("touch-42");
        assertThat(payload.get("email").asString()).isEqualTo(recipient + "@example.com");
        assertThat(payload.get("confirm_address").asBoolean()).isTrue();
        assertThat(payload.get("country").asString()).isEqualTo("DE");
        assertThat(calls.getFirst().getHeader("Idempotency-Key")).isEqualTo(id);

        var update = "{\"status\": \"address_confirmed\", \"event_id\": \"evt-1\","
                + " \"address\": {\"line_1\": \"2 Ringstr.\", \"city\": \"Köln\", \"country\": \"DE\"}}";
        var first = api.post("/v1/sends/" + id + "/status", update);
        var again = api.post("/v1/sends/" + id + "/status", update);

        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.json().get("duplicate").asBoolean()).isFalse();
        assertThat(first.json().get("send").get("address").get("city").asString())
                .isEqualTo("Köln");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("duplicate").asBoolean()).isTrue();
        var after = gifts.get("/v1/sends/" + id);
        assertThat(statuses(after.get("history"))).containsExactly("created", "address_confirmed");
        assertThat(after.get("ledger"))
                .extracting(e -> e.get("type").asString())
                .containsExactly("hold", "capture");

        assertError(
                api.post("/v1/sends/" + id + "/status", "{\"status\": \"delivered\", \"event_id\": \"evt-2\"}"),
                409,
                "illegal_transition");
        assertError(api.post("/v1/sends/" + id + "/status", "{\"status\": \"approved\"}"), 422, "invalid_payload");
        assertThat(api.post("/v1/sends/" + id + "/status", "{\"status\": \"processed\", \"event_id\": \"evt-3\"}")
                        .status())
                .isEqualTo(200);
        assertThat(api.post("/v1/sends/" + id + "/status", "{\"status\": \"shipped\", \"event_id\": \"evt-4\"}")
                        .json()
                        .get("send")
                        .get("status")
                        .asString())
                .isEqualTo("shipped");
        assertError(api.post("/v1/sends/" + id + "/cancel", "{}"), 409, "illegal_transition");
    }

    @Test
    void retriesAFailedHandOverWithoutChargingTwiceAndFailsTheSendWhenTheProviderNeverTakesIt() {
        provider.stubFor(post("/api/v3/send")
                .inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(400))
                .willSetStateTo("up"));
        provider.stubFor(post("/api/v3/send")
                .inScenario("flaky")
                .whenScenarioStateIs("up")
                .willReturn(okJson("{\"send_id\": \"sendoso-1\"}")));
        var gift = gifts.connectorGift("EGIFT", provider.baseUrl());
        var budget = gifts.budget(10_000);

        var send = gifts.sent(gift, budget, gifts.recipient());
        var id = send.get("id").asString();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                        gifts.get("/v1/sends/" + id).path("dispatched_at").isString())
                .isTrue());
        var calls = provider.findAll(postRequestedFor(urlPathEqualTo("/api/v3/send")));
        assertThat(calls).hasSize(2);
        assertThat(calls).extracting(c -> c.getHeader("Idempotency-Key")).containsOnly(id);
        var dispatched = gifts.get("/v1/sends/" + id);
        assertThat(dispatched.get("status").asString()).isEqualTo("created");
        assertThat(dispatched.get("ledger"))
                .extracting(e -> e.get("type").asString())
                .containsExactly("hold");
        assertThat(jdbc.queryForObject("SELECT dispatch_attempts FROM gifts.sends WHERE id = ?", Integer.class, id))
                .isEqualTo(2);

        provider.resetAll();
        provider.stubFor(post("/api/v3/send").willReturn(aResponse().withStatus(400)));
        var doomed = gifts.sent(gift, budget, gifts.recipient());

        var failed = awaitStatus(doomed, "failed");
        assertThat(failed.get("funds").asString()).isEqualTo("released");
        assertThat(failed.get("ledger"))
                .extracting(e -> e.get("type").asString())
                .containsExactly("hold", "release");
        assertThat(failed.get("history").get(1).get("reason").asString()).contains("did not take the send");
        assertThat(gifts.get("/v1/budgets/" + budget.get("id").asString())
                        .get("available")
                        .asLong())
                .isEqualTo(9000);
        assertThat(gifts.ledgerCheck().get("ok").asBoolean()).isTrue();
    }

    @Test
    void waitsForFundsUntilAnAdminTopsUpAndApproves() {
        var budget = gifts.budget(500);
        var gift = gifts.egift(1000);
        var member = identity.keyFor(project, Role.MEMBER, port);

        var send = gifts.sent(gift, budget, gifts.recipient());
        var id = send.get("id").asString();
        assertThat(send.get("status").asString()).isEqualTo("pending_funds");
        assertThat(send.get("funds").asString()).isEqualTo("none");
        assertThat(gifts.get("/v1/sends?status=pending_funds").get("total").asInt())
                .isEqualTo(1);

        assertError(api.post("/v1/sends/" + id + "/approve", "{}"), 409, "insufficient_funds");
        assertError(
                member.post("/v1/budgets/" + budget.get("id").asString() + "/top-ups", "{\"amount\": 1000}"),
                403,
                "forbidden");
        gifts.created(api.post("/v1/budgets/" + budget.get("id").asString() + "/top-ups", "{\"amount\": 1000}"));
        assertError(member.post("/v1/sends/" + id + "/approve", "{}"), 403, "forbidden");
        var approved = api.post("/v1/sends/" + id + "/approve", "{}");

        assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
        assertThat(approved.json().get("status").asString()).isEqualTo("approved");
        assertThat(approved.json().get("funds").asString()).isEqualTo("held");
        assertThat(gifts.get("/v1/budgets/" + budget.get("id").asString())
                        .get("available")
                        .asLong())
                .isEqualTo(500);
        assertThat(statuses(awaitStatus(send, "claimed").get("history")))
                .containsExactly("pending_funds", "approved", "clicked", "claimed");
        var exhausted = gifts.get("/v1/events/feed?types=budget.exhausted");
        assertThat(exhausted.get("events")).hasSize(1);
    }

    @Test
    void holdsSendsAboveTheApprovalThresholdForAnAdmin() {
        var budget = gifts.budget(100_000, "\"approval_threshold\": 2000");
        var cheap = gifts.egift(1000);
        var dear = gifts.egift(5000);

        assertThat(gifts.sent(cheap, budget, gifts.recipient()).get("status").asString())
                .isEqualTo("created");
        var waiting = gifts.sent(dear, budget, gifts.recipient());
        assertThat(waiting.get("status").asString()).isEqualTo("pending_approval");
        assertThat(waiting.get("funds").asString()).isEqualTo("none");

        var cancelled = api.post("/v1/sends/" + waiting.get("id").asString() + "/cancel", "{\"reason\": \"too much\"}");
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asString()).isEqualTo("cancelled");
        assertError(
                api.post("/v1/sends/" + waiting.get("id").asString() + "/approve", "{}"), 409, "illegal_transition");
        assertThat(gifts.get("/v1/budgets/" + budget.get("id").asString())
                        .get("available")
                        .asLong())
                .isEqualTo(99_000);
    }

    @Test
    void cancellingReleasesTheHoldAndExpiryReleasesUnclaimedEGifts() {
        provider.stubFor(post("/api/v3/send").willReturn(okJson("{}")));
        var gift = gifts.connectorGift("EGIFT", provider.baseUrl());
        var budget = gifts.budget(3000);
        var cancelled = gifts.sent(gift, budget, gifts.recipient());
        var expiring = gifts.sent(gift, budget, gifts.recipient());

        var cancel = api.post("/v1/sends/" + cancelled.get("id").asString() + "/cancel", null);
        assertThat(cancel.status()).as(cancel.toString()).isEqualTo(200);
        assertThat(cancel.json().get("funds").asString()).isEqualTo("released");

        jdbc.update(
                "UPDATE gifts.sends SET expires_at = now() - interval '1 second' WHERE id = ?",
                expiring.get("id").asString());
        var expired = awaitStatus(expiring, "expired");

        assertThat(expired.get("funds").asString()).isEqualTo("released");
        assertThat(expired.get("history").get(1).get("actor").asString()).isEqualTo("system");
        var after = gifts.get("/v1/budgets/" + budget.get("id").asString());
        assertThat(after.get("available").asLong()).isEqualTo(3000);
        assertThat(after.get("held").asLong()).isZero();
        assertThat(gifts.ledgerCheck().get("ok").asBoolean()).isTrue();
    }

    @Test
    void refusesSendsWhoseRecipientLacksWhatTheGiftNeeds() {
        var budget = gifts.budget(100_000);
        var egift = gifts.egift(1000);
        var hoodie = gifts.physical(4000, 0);
        api.post(
                "/v1/customers",
                "{\"source_id\": \"no-last\", \"first_name\": \"Ann\", \"email\": \"ann@example.com\"}");
        api.post("/v1/customers", """
                {"source_id": "in-fr", "first_name": "Zoé", "last_name": "Martin", "email": "zoe@example.com",
                 "address": {"country": "FR"}}
                """);

        var noLastName = gifts.send(egift, budget, "no-last", "");
        assertError(noLastName, 422, "missing_recipient_fields");
        assertThat(noLastName.json().get("message").asString()).contains("last_name");
        var noCountry = gifts.send(hoodie, budget, "no-last", "");
        assertError(noCountry, 422, "missing_recipient_fields");
        assertThat(noCountry.json().get("message").asString()).contains("last_name", "address.country");
        assertError(gifts.send(hoodie, budget, "in-fr", ""), 422, "country_not_shippable");
        assertThat(gifts.send(hoodie, budget, "in-fr", "\"address\": {\"line_1\": \"5 Main St\", \"country\": \"US\"}")
                        .status())
                .isEqualTo(201);
        assertError(gifts.send(egift, budget, "nobody", ""), 404, "not_found");
        assertError(
                api.post("/v1/sends", "{\"gift_id\": \"gift_nope\", \"recipient\": {\"source_id\": \"in-fr\"}}"),
                404,
                "not_found");
        assertError(api.post("/v1/sends", "{\"gift_id\": 7}"), 422, "invalid_payload");
        assertError(gifts.send(egift, budget, "in-fr", "\"colour\": \"red\""), 422, "invalid_payload");
        var euros = gifts.created(api.post("/v1/budgets", """
                {"name": "Euros", "owner": {"type": "team", "id": "eu"}, "currency": "EUR"}
                """));
        assertError(gifts.send(egift, euros, "in-fr", ""), 422, "currency_mismatch");
        assertError(
                api.post(
                        "/v1/sends",
                        "{\"gift_id\": \"%s\", \"recipient\": {\"source_id\": \"in-fr\"}}"
                                .formatted(egift.get("id").asString())),
                422,
                "invalid_payload");
        assertThat(gifts.get("/v1/sends").get("total").asInt()).isEqualTo(1);
    }

    @Test
    void paysASendersGiftsFromTheirOwnBudgetAndCapsWhatOneRecipientGetsAYear() {
        var sender = identity.user(
                        project, "sender-" + project.value() + "@example.com", "sender-password-123", Role.MEMBER)
                .id();
        var own = gifts.created(api.post("/v1/budgets", """
                {"name": "Mine", "owner": {"type": "sender", "id": "%s"}, "currency": "USD",
                 "per_recipient_annual_cap": 1500}
                """.formatted(sender)));
        gifts.created(api.post("/v1/budgets/" + own.get("id").asString() + "/top-ups", "{\"amount\": 10000}"));
        var gift = gifts.egift(1000);
        var recipient = gifts.recipient();
        var body = "{\"gift_id\": \"%s\", \"sender_id\": \"%s\", \"recipient\": {\"source_id\": \"%s\"}}"
                .formatted(gift.get("id").asString(), sender, recipient);

        var first = gifts.created(api.post("/v1/sends", body));
        var second = api.post("/v1/sends", body);

        assertThat(first.get("budget_id").asString()).isEqualTo(own.get("id").asString());
        assertThat(first.get("sender_id").asString()).isEqualTo(sender);
        assertError(second, 422, "recipient_cap_exceeded");
        assertThat(gifts.get("/v1/sends?sender_id=" + sender).get("total").asInt())
                .isEqualTo(1);
        assertThat(gifts.get("/v1/budgets/" + own.get("id").asString())
                        .get("available")
                        .asLong())
                .isEqualTo(9000);
        assertThat(gifts.created(api.post("/v1/sends", body.replace(recipient, gifts.recipient())))
                        .get("status")
                        .asString())
                .isEqualTo("created");
    }

    private JsonNode awaitStatus(JsonNode send, String status) {
        var id = send.get("id").asString();
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(
                                gifts.get("/v1/sends/" + id).get("status").asString())
                        .isEqualTo(status));
        return gifts.get("/v1/sends/" + id);
    }

    private static List<String> statuses(JsonNode history) {
        var statuses = new ArrayList<String>();
        history.forEach(t -> statuses.add(t.get("to").asString()));
        return statuses;
    }
}
