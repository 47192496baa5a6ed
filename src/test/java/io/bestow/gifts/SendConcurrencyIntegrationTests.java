package io.bestow.gifts;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.bestow.BestowTest;
import io.bestow.TestApi;
import io.bestow.identity.IdentityFixtures;
import io.bestow.shared.ProjectId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** Money and status changes under parallel requests and a crashed hand-over, on the real database. */
@BestowTest
class SendConcurrencyIntegrationTests {

    static final WireMockServer provider = new WireMockServer(options().dynamicPort());

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
    void neverOverspendsUnderAThousandConcurrentSends() throws Exception {
        var budget = gifts.budget(250_000);
        var gift = gifts.egift(1000);
        var recipients = new ArrayList<String>();
        for (int i = 0; i < 20; i++) {
            recipients.add(gifts.recipient());
        }
        var tasks = new ArrayList<Callable<TestApi.Response>>();
        for (int i = 0; i < 1000; i++) {
            var recipient = recipients.get(i % recipients.size());
            tasks.add(() -> gifts.send(gift, budget, recipient, ""));
        }

        var responses = all(32, tasks);

        assertThat(responses)
                .allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(201));
        assertThat(responses.stream()
                        .filter(r -> r.json().get("status").asString().equals("created")))
                .hasSize(250);
        assertThat(responses.stream()
                        .filter(r -> r.json().get("status").asString().equals("pending_funds")))
                .hasSize(750);
        var after = gifts.get("/v1/budgets/" + budget.get("id").asString());
        assertThat(after.get("available").asLong()).isZero();
        assertThat(after.get("held").asLong() + after.get("spent").asLong()).isEqualTo(250_000);
        assertThat(gifts.get("/v1/budgets/" + budget.get("id").asString() + "/ledger?type=hold")
                        .get("total")
                        .asInt())
                .isEqualTo(250);
        var check = gifts.ledgerCheck();
        assertThat(check.get("ok").asBoolean()).as(check.toString()).isTrue();
        assertThat(gifts.get("/v1/events/feed?types=budget.exhausted").get("events"))
                .hasSize(1);
    }

    @Test
    void neverLosesAnEntryUnderParallelTopUpsAndSends() throws Exception {
        var budget = gifts.budget(0);
        var gift = gifts.egift(1000);
        var recipient = gifts.recipient();
        var topUps = "/v1/budgets/" + budget.get("id").asString() + "/top-ups";
        var tasks = new ArrayList<Callable<TestApi.Response>>();
        for (int i = 0; i < 300; i++) {
            tasks.add(
                    i % 3 == 0
                            ? () -> api.post(topUps, "{\"amount\": 1000}")
                            : () -> gifts.send(gift, budget, recipient, ""));
        }

        var responses = all(16, tasks);

        assertThat(responses)
                .allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(201));
        long funded = responses.stream()
                .filter(r -> "created".equals(r.json().path("status").asString("")))
                .count();
        var ledger = "/v1/budgets/" + budget.get("id").asString() + "/ledger?type=";
        assertThat(gifts.get(ledger + "top_up").get("total").asInt()).isEqualTo(100);
        assertThat(gifts.get(ledger + "hold").get("total").asLong()).isEqualTo(funded);
        var after = gifts.get("/v1/budgets/" + budget.get("id").asString());
        assertThat(after.get("available").asLong()
                        + after.get("held").asLong()
                        + after.get("spent").asLong())
                .isEqualTo(100_000);
        assertThat(after.get("held").asLong() + after.get("spent").asLong()).isEqualTo(funded * 1000);
        assertThat(gifts.ledgerCheck().get("ok").asBoolean()).isTrue();
    }

    @Test
    void appliesAProviderUpdateDeliveredTwiceAtOnceOnlyOnce() throws Exception {
        provider.stubFor(post("/api/v3/send").willReturn(okJson("{}")));
        var gift = gifts.connectorGift("EGIFT", provider.baseUrl());
        var budget = gifts.budget(10_000);
        for (int round = 0; round < 5; round++) {
            var id = gifts.sent(gift, budget, gifts.recipient()).get("id").asString();
            var claim = "{\"status\": \"claimed\", \"event_id\": \"claim-" + round + "\"}";
            var tasks = new ArrayList<Callable<TestApi.Response>>();
            for (int i = 0; i < 4; i++) {
                tasks.add(() -> api.post("/v1/sends/" + id + "/status", claim));
            }

            var responses = all(4, tasks);

            assertThat(responses)
                    .allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
            assertThat(responses.stream().filter(r -> r.json().get("changed").asBoolean()))
                    .hasSize(1);
            var send = gifts.get("/v1/sends/" + id);
            assertThat(send.get("history")).hasSize(2);
            assertThat(send.get("ledger"))
                    .extracting(e -> e.get("type").asString())
                    .containsExactly("hold", "capture");
        }
        assertThat(gifts.ledgerCheck().get("ok").asBoolean()).isTrue();
    }

    @Test
    void aHandOverCutShortByACrashIsRetriedWithoutChargingTwice() {
        provider.stubFor(post("/api/v3/send").willReturn(okJson("{\"send_id\": \"ext-1\"}")));
        var gift = gifts.connectorGift("EGIFT", provider.baseUrl());
        var budget = gifts.budget(10_000);
        var id = gifts.sent(gift, budget, gifts.recipient()).get("id").asString();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(provider.findAll(postRequestedFor(urlPathEqualTo("/api/v3/send"))))
                        .hasSize(1));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                        gifts.get("/v1/sends/" + id).path("dispatched_at").isString())
                .isTrue());

        // What a node that died after calling the provider, before noting it, leaves behind: an undispatched send
        // whose hand-over it had taken until a time now past.
        jdbc.update(
                "UPDATE gifts.sends SET dispatched_at = NULL, dispatch_at = now() - interval '1 second' WHERE id = ?",
                id);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                        gifts.get("/v1/sends/" + id).path("dispatched_at").isString())
                .isTrue());
        // The provider took the send the first time: the logged run answers again, without a second call.
        assertThat(provider.findAll(postRequestedFor(urlPathEqualTo("/api/v3/send"))))
                .hasSize(1);
        var send = gifts.get("/v1/sends/" + id);
        assertThat(send.get("provider_reference").asString()).isEqualTo("ext-1");
        assertThat(send.get("ledger")).extracting(e -> e.get("type").asString()).containsExactly("hold");
        assertThat(gifts.get("/v1/budgets/" + budget.get("id").asString())
                        .get("held")
                        .asLong())
                .isEqualTo(1000);
        assertThat(gifts.ledgerCheck().get("ok").asBoolean()).isTrue();
    }

    private static <T> List<T> all(int threads, List<Callable<T>> tasks) throws Exception {
        try (var pool = Executors.newFixedThreadPool(threads)) {
            var futures = pool.invokeAll(tasks);
            var results = new ArrayList<T>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }
}
