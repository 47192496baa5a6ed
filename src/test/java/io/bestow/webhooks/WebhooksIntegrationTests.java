package io.bestow.webhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import io.bestow.BestowTest;
import io.bestow.TestApi;
import io.bestow.identity.IdentityFixtures;
import io.bestow.shared.EventGroup;
import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;
import io.bestow.shared.ProjectId;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Webhook endpoints and deliveries against WireMock as the receiver. */
@BestowTest
class WebhooksIntegrationTests {

    static final WireMockServer receiver = new WireMockServer(options().dynamicPort());
    static final JsonMapper json = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    PlatformTransactionManager transactions;

    TestApi api;
    ProjectId project;

    @BeforeAll
    static void start() {
        receiver.start();
    }

    @AfterAll
    static void stop() {
        receiver.stop();
    }

    @BeforeEach
    void reset() {
        receiver.resetAll();
        var tenant = fixtures.tenant(port);
        api = tenant.api();
        project = tenant.project();
    }

    @Test
    void deliversSignedEventsThatAStandardWebhooksLibraryVerifies() throws Exception {
        receiver.stubFor(post("/all").willReturn(ok()));
        receiver.stubFor(post("/gold").willReturn(ok()));
        var endpoint = endpoint("/all", "[\"customer.*\"]", null);
        var gold = endpoint("/gold", "[\"customer.created\"]", "event.data.object.metadata.tier == 'gold'");
        assertThat(endpoint.get("secret").asString()).startsWith("whsec_");
        assertThat(api.get("/v1/webhooks/" + endpoint.get("id").asString())
                        .json()
                        .get("secret")
                        .asString())
                .startsWith("••••");

        api.post("/v1/customers", "{\"source_id\": \"ann\", \"metadata\": {\"tier\": \"gold\"}}");
        api.post("/v1/customers", "{\"source_id\": \"bob\", \"metadata\": {\"tier\": \"silver\"}}");
        api.post("/v1/campaigns", """
                {"name": "Not subscribed", "campaign_type": "DISCOUNT_COUPONS",
                 "voucher": {"type": "DISCOUNT_VOUCHER", "discount": {"type": "PERCENT", "percent_off": 5}}}
                """);

        var all = received("/all", 2);
        var golden = received("/gold", 1);
        var verifier = new Webhook(endpoint.get("secret").asString());
        for (var request : all) {
            assertThatCode(() -> verifier.verify(request.getBodyAsString(), headers(request)))
                    .doesNotThrowAnyException();
            assertThat(json.readTree(request.getBodyAsString()).get("type").asString())
                    .isEqualTo("customer.created");
        }
        assertThatCode(() -> new Webhook(gold.get("secret").asString())
                        .verify(golden.getFirst().getBodyAsString(), headers(golden.getFirst())))
                .doesNotThrowAnyException();
        assertThatCode(() -> verifier.verify(golden.getFirst().getBodyAsString(), headers(golden.getFirst())))
                .isInstanceOf(com.standardwebhooks.exceptions.WebhookVerificationException.class);
        var body = json.readTree(golden.getFirst().getBodyAsString());
        assertThat(body.get("data").get("object").get("source_id").asString()).isEqualTo("ann");
        assertThat(body.get("id").asString()).startsWith("evt_");

        var log = api.get("/v1/webhooks/" + endpoint.get("id").asString() + "/deliveries")
                .json();
        assertThat(log.get("total").asInt()).isEqualTo(2);
        var first = log.get("deliveries").get(0);
        assertThat(first.get("status").asString()).isEqualTo("succeeded");
        assertThat(all)
                .extracting(r -> r.getHeader("webhook-id"))
                .contains(first.get("id").asString());
        Thread.sleep(300);
        assertThat(receiver.findAll(postRequestedFor(urlPathEqualTo("/all")))).hasSize(2);
    }

    @Test
    void retriesAReceiverThatFailsTwiceWithTheSameWebhookId() {
        receiver.stubFor(post("/flaky")
                .inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500).withBody("down"))
                .willSetStateTo("2"));
        receiver.stubFor(post("/flaky")
                .inScenario("flaky")
                .whenScenarioStateIs("2")
                .willReturn(aResponse().withStatus(502))
                .willSetStateTo("3"));
        receiver.stubFor(
                post("/flaky").inScenario("flaky").whenScenarioStateIs("3").willReturn(ok()));
        var endpoint = endpoint("/flaky", "[\"customer.created\"]", null);

        api.post("/v1/customers", "{\"source_id\": \"retry-me\"}");

        var sent = received("/flaky", 3);
        assertThat(sent)
                .extracting(r -> r.getHeader("webhook-id"))
                .containsOnly(sent.getFirst().getHeader("webhook-id"));
        var delivery = awaitDelivery(sent.getFirst().getHeader("webhook-id"), "succeeded");
        assertThat(delivery.get("attempts").asInt()).isEqualTo(3);
        assertThat(delivery.get("attempt_log"))
                .extracting(a -> a.get("status_code").asInt())
                .containsExactly(500, 502, 200);
        assertThat(delivery.get("attempt_log").get(0).get("response_body").asString())
                .isEqualTo("down");
        assertThat(delivery.get("endpoint_id").asString())
                .isEqualTo(endpoint.get("id").asString());
    }

    @Test
    void waitsAsLongAsRetryAfterAsks() {
        receiver.stubFor(post("/busy")
                .inScenario("busy")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2"))
                .willSetStateTo("ok"));
        receiver.stubFor(
                post("/busy").inScenario("busy").whenScenarioStateIs("ok").willReturn(ok()));
        endpoint("/busy", "[\"customer.created\"]", null);

        api.post("/v1/customers", "{\"source_id\": \"patient\"}");

        var sent = received("/busy", 2);
        var gap = sent.get(1).getLoggedDate().getTime()
                - sent.get(0).getLoggedDate().getTime();
        assertThat(gap).isGreaterThanOrEqualTo(1_950);
    }

    @Test
    void a410DisablesTheEndpoint() {
        receiver.stubFor(post("/gone").willReturn(aResponse().withStatus(410)));
        var endpoint = endpoint("/gone", "[\"customer.created\"]", null);

        api.post("/v1/customers", "{\"source_id\": \"first\"}");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> !api.get("/v1/webhooks/" + endpoint.get("id").asString())
                        .json()
                        .get("enabled")
                        .asBoolean());
        var disabled = api.get("/v1/webhooks/" + endpoint.get("id").asString()).json();
        assertThat(disabled.get("disabled_reason").asString()).contains("410");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> api.get("/v1/events?type=webhook.endpoint.disabled")
                                .json()
                                .get("total")
                                .asInt()
                        == 1);
        api.post("/v1/customers", "{\"source_id\": \"second\"}");
        sleep(500);
        assertThat(receiver.findAll(postRequestedFor(urlPathEqualTo("/gone")))).hasSize(1);
    }

    @Test
    void disablesAnEndpointThatHasFailedForFiveDays() {
        receiver.stubFor(post("/broken").willReturn(aResponse().withStatus(500)));
        var endpoint = endpoint("/broken", "[\"customer.created\"]", null);
        jdbc.update(
                "UPDATE webhooks.endpoints SET failing_since = now() - interval '5 days 1 minute' WHERE id = ?",
                endpoint.get("id").asString());

        api.post("/v1/customers", "{\"source_id\": \"last-straw\"}");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> !api.get("/v1/webhooks/" + endpoint.get("id").asString())
                        .json()
                        .get("enabled")
                        .asBoolean());
        assertThat(api.get("/v1/webhooks/" + endpoint.get("id").asString())
                        .json()
                        .get("disabled_reason")
                        .asString())
                .startsWith("Every delivery failed since");
        var deliveries = api.get("/v1/webhooks/" + endpoint.get("id").asString() + "/deliveries")
                .json();
        assertThat(deliveries.get("deliveries").get(0).get("status").asString()).isEqualTo("failed");
    }

    @Test
    void aRotatedSecretSignsBesideTheOldOneDuringItsGracePeriod() throws Exception {
        receiver.stubFor(post("/rotating").willReturn(ok()));
        var endpoint = endpoint("/rotating", "[\"customer.created\"]", null);
        var old = endpoint.get("secret").asString();
        var rotated = api.post("/v1/webhooks/" + endpoint.get("id").asString() + "/rotate-secret", "{}")
                .json();
        var fresh = rotated.get("secret").asString();
        assertThat(fresh).startsWith("whsec_").isNotEqualTo(old);
        assertThat(rotated.get("previous_secret_expires_at")).isNotNull();

        api.post("/v1/customers", "{\"source_id\": \"rotated\"}");

        var request = received("/rotating", 1).getFirst();
        assertThat(request.getHeader("webhook-signature").split(" ")).hasSize(2);
        assertThatCode(() -> new Webhook(old).verify(request.getBodyAsString(), headers(request)))
                .doesNotThrowAnyException();
        assertThatCode(() -> new Webhook(fresh).verify(request.getBodyAsString(), headers(request)))
                .doesNotThrowAnyException();

        // Without a grace period the old secret stops at once.
        var immediate = api.post(
                        "/v1/webhooks/" + endpoint.get("id").asString() + "/rotate-secret",
                        "{\"grace_period_seconds\": 0}")
                .json();
        api.post("/v1/customers", "{\"source_id\": \"rotated-again\"}");
        var next = received("/rotating", 2).get(1);
        assertThat(next.getHeader("webhook-signature").split(" ")).hasSize(1);
        assertThatCode(() ->
                        new Webhook(immediate.get("secret").asString()).verify(next.getBodyAsString(), headers(next)))
                .doesNotThrowAnyException();
    }

    @Test
    void replaysAFailedDeliveryAndEveryFailedOneSinceATime() {
        receiver.stubFor(post("/down").willReturn(aResponse().withStatus(503)));
        var endpoint = endpoint("/down", "[\"customer.created\"]", null);
        var since = java.time.Instant.now().minusSeconds(1);
        api.post("/v1/customers", "{\"source_id\": \"replay-1\"}");
        api.post("/v1/customers", "{\"source_id\": \"replay-2\"}");
        var failed = "/v1/webhooks/" + endpoint.get("id").asString() + "/deliveries?status=failed";
        await().atMost(Duration.ofSeconds(15))
                .until(() -> api.get(failed).json().get("total").asInt() == 2);
        assertThat(receiver.findAll(postRequestedFor(urlPathEqualTo("/down")))).hasSize(10);

        receiver.stubFor(post("/down").willReturn(ok()));
        var one = api.get(failed).json().get("deliveries").get(0);
        var retried = api.post("/v1/deliveries/" + one.get("id").asString() + "/retry", "{}");
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        awaitDelivery(one.get("id").asString(), "succeeded");
        var replayed = receiver.findAll(postRequestedFor(urlPathEqualTo("/down")));
        assertThat(replayed.getLast().getHeader("webhook-id"))
                .isEqualTo(one.get("id").asString());

        var bulk = api.post(
                        "/v1/webhooks/" + endpoint.get("id").asString() + "/retry-failed",
                        "{\"since\": \"" + since + "\"}")
                .json();
        assertThat(bulk.get("retried").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> api.get(failed).json().get("total").asInt() == 0);
    }

    @Test
    void aTestEventGoesToThatEndpointOnly() {
        receiver.stubFor(post("/tested").willReturn(ok()));
        receiver.stubFor(post("/other").willReturn(ok()));
        var endpoint = endpoint("/tested", "[\"customer.created\"]", null);
        endpoint("/other", "[\"*\"]", null);

        var test = api.post("/v1/webhooks/" + endpoint.get("id").asString() + "/test", "{}");

        assertThat(test.status()).isEqualTo(202);
        var request = received("/tested", 1).getFirst();
        assertThat(request.getHeader("webhook-id"))
                .isEqualTo(test.json().get("delivery_id").asString());
        assertThat(json.readTree(request.getBodyAsString()).get("type").asString())
                .isEqualTo("webhook.test");
        sleep(300);
        assertThat(receiver.findAll(postRequestedFor(urlPathEqualTo("/other")))).isEmpty();
    }

    @Test
    void theFeedHandsOutTheSameEventsInOrderWithACursor() {
        receiver.stubFor(post("/mirror").willReturn(ok()));
        endpoint("/mirror", "[\"customer.*\"]", null);
        for (var id : List.of("feed-1", "feed-2", "feed-3")) {
            api.post("/v1/customers", "{\"source_id\": \"" + id + "\"}");
        }
        api.post("/v1/campaigns", """
                {"name": "Elsewhere", "campaign_type": "DISCOUNT_COUPONS",
                 "voucher": {"type": "DISCOUNT_VOUCHER", "discount": {"type": "PERCENT", "percent_off": 5}}}
                """);

        var pulled = new java.util.ArrayList<String>();
        String cursor = null;
        do {
            var page = api.get("/v1/events/feed?types=customer.*&limit=2"
                            + (cursor == null ? "" : "&starting_after=" + cursor))
                    .json();
            page.get("events").forEach(e -> pulled.add(e.get("id").asString()));
            cursor = page.get("next_cursor").asString();
            if (!page.get("has_more").asBoolean()) {
                break;
            }
        } while (true);

        assertThat(pulled).hasSize(3);
        var pushed = received("/mirror", 3).stream()
                .map(r -> json.readTree(r.getBodyAsString()).get("id").asString())
                .toList();
        assertThat(pushed).containsExactlyInAnyOrderElementsOf(pulled);
        var rest = api.get("/v1/events/feed?starting_after=" + pulled.getLast()).json();
        assertThat(rest.get("events")).extracting(e -> e.get("type").asString()).contains("campaign.created");
        assertThat(api.get("/v1/events/feed?types=nope!").status()).isEqualTo(422);
        assertThat(api.get("/v1/events/feed?starting_after=evt_unknown").status())
                .isEqualTo(404);
    }

    @Test
    void aGroupOfEventsIsAppendedWithItsTransactionAndReachesTheFilteredEndpointsOfEachProject() {
        receiver.stubFor(post("/first").willReturn(ok()));
        receiver.stubFor(post("/second").willReturn(ok()));
        var other = fixtures.tenant(port);
        endpoint(api, "/first", "[\"*\"]", "event.type == 'test.grouped' && event.data.object.n == 1");
        endpoint(other.api(), "/second", "[\"*\"]", "event.type == 'test.grouped' && event.data.object.n == 2");
        var clock = Clock.systemUTC();
        var transaction = new TransactionTemplate(transactions);

        var undone = new Grouped(EventMeta.of(project, clock), 1);
        transaction.executeWithoutResult(status -> {
            events.publishEvent(new Group(List.of(undone)));
            status.setRollbackOnly();
        });
        var first = new Grouped(EventMeta.of(project, clock), 1);
        var second = new Grouped(EventMeta.of(other.project(), clock), 2);
        transaction.executeWithoutResult(status -> events.publishEvent(new Group(List.of(first, second))));

        assertThat(json.readTree(received("/first", 1).getFirst().getBodyAsString())
                        .get("id")
                        .asString())
                .isEqualTo(first.meta().id());
        assertThat(json.readTree(received("/second", 1).getFirst().getBodyAsString())
                        .get("id")
                        .asString())
                .isEqualTo(second.meta().id());
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM webhooks.events WHERE id = ?",
                        Integer.class,
                        undone.meta().id()))
                .isZero();
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM events.event_publication WHERE serialized_event LIKE ?",
                        Integer.class,
                        "%" + first.meta().id() + "%"))
                .as("a group is appended in its transaction, not through the outbox")
                .isZero();
    }

    @Test
    void anEndpointGetsNoMoreDeliveriesAtATimeThanItsLimitAndEachOnce() throws Exception {
        var sending = new AtomicInteger();
        var most = new AtomicInteger();
        var ids = ConcurrentHashMap.<String>newKeySet();
        var received = new AtomicInteger();
        var slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        slow.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        slow.createContext("/slow", exchange -> {
            most.accumulateAndGet(sending.incrementAndGet(), Math::max);
            sleep(50);
            ids.add(exchange.getRequestHeaders().getFirst("webhook-id"));
            received.incrementAndGet();
            sending.decrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        slow.start();
        try {
            var created =
                    api.post("/v1/webhooks", """
                    {"url": "http://localhost:%d/slow", "event_types": ["test.grouped"], "max_in_flight": 3}
                    """.formatted(slow.getAddress().getPort()));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            var clock = Clock.systemUTC();
            var group = new ArrayList<ProjectEvent>();
            for (int i = 0; i < 40; i++) {
                group.add(new Grouped(EventMeta.of(project, clock), i));
            }
            new TransactionTemplate(transactions).executeWithoutResult(status -> events.publishEvent(new Group(group)));

            await().atMost(Duration.ofSeconds(15)).until(() -> received.get() >= 40);
            sleep(300);
            assertThat(received).hasValue(40);
            assertThat(ids).hasSize(40);
            assertThat(most.get()).isBetween(1, 3);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> jdbc.queryForObject(
                                    "SELECT count(*) FROM webhooks.deliveries WHERE endpoint_id = ? AND status = 'succeeded'",
                                    Integer.class,
                                    created.json().get("id").asString())
                            == 40);
        } finally {
            slow.stop(0);
        }
    }

    record Grouped(EventMeta meta, int n) implements ProjectEvent {

        @Override
        public String type() {
            return "test.grouped";
        }

        @Override
        public Object object() {
            return Map.of("object", "test", "n", n);
        }
    }

    record Group(List<ProjectEvent> events) implements EventGroup {}

    @Test
    void refusesEndpointsItCannotUse() {
        var noTypes = api.post("/v1/webhooks", "{\"url\": \"https://example.com/h\", \"event_types\": []}");
        assertThat(noTypes.status()).isEqualTo(422);
        var badFilter = api.post("/v1/webhooks", """
                {"url": "https://example.com/h", "event_types": ["*"], "filter": "event.type =="}
                """);
        assertThat(badFilter.status()).isEqualTo(422);
        assertThat(badFilter.json().get("key").asString()).isEqualTo("invalid_expression");
        var reserved = api.post("/v1/webhooks", """
                {"url": "https://example.com/h", "event_types": ["*"], "headers": {"webhook-id": "x"}}
                """);
        assertThat(reserved.status()).isEqualTo(422);
        assertThat(api.post("/v1/webhooks", "{\"url\": \"ftp://x\", \"event_types\": [\"*\"]}")
                        .status())
                .isEqualTo(422);
    }

    private JsonNode endpoint(String path, String types, String filter) {
        return endpoint(api, path, types, filter);
    }

    private static JsonNode endpoint(TestApi api, String path, String types, String filter) {
        var body = new HashMap<String, Object>();
        body.put("url", receiver.baseUrl() + path);
        body.put("event_types", json.readTree(types));
        if (filter != null) {
            body.put("filter", filter);
        }
        var response = api.post("/v1/webhooks", json.writeValueAsString(body));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    private List<LoggedRequest> received(String path, int count) {
        await().atMost(Duration.ofSeconds(15))
                .until(() ->
                        receiver.findAll(postRequestedFor(urlPathEqualTo(path))).size() >= count);
        return receiver.findAll(postRequestedFor(urlPathEqualTo(path)));
    }

    private JsonNode awaitDelivery(String id, String status) {
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/v1/deliveries/" + id)
                .json()
                .path("status")
                .asString("")
                .equals(status));
        return api.get("/v1/deliveries/" + id).json();
    }

    static Map<String, List<String>> headers(LoggedRequest request) {
        var headers = new HashMap<String, List<String>>();
        for (var name : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
            headers.put(name, List.of(request.getHeader(name)));
        }
        return headers;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
