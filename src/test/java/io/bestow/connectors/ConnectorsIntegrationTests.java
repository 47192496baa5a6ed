package io.bestow.connectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.bestow.BestowTest;
import io.bestow.TestApi;
import io.bestow.identity.IdentityFixtures;
import io.bestow.identity.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Connectors and actions against WireMock as the external API and mock-oauth2-server as the OAuth 2.0 provider. */
@BestowTest
@ExtendWith(OutputCaptureExtension.class)
class ConnectorsIntegrationTests {

    static final WireMockServer receiver = new WireMockServer(options().dynamicPort());
    static final MockOAuth2Server provider = new MockOAuth2Server();
    static final JsonMapper json = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    JdbcTemplate jdbc;

    TestApi api;

    @BeforeAll
    static void start() {
        receiver.start();
        provider.start();
    }

    @AfterAll
    static void stop() {
        receiver.stop();
        provider.shutdown();
    }

    @BeforeEach
    void reset() throws InterruptedException {
        receiver.resetAll();
        while (next(10) != null) {
            // forget the requests of earlier tests
        }
        api = fixtures.tenant(port).api();
    }

    @Test
    void fetchesAClientCredentialsTokenOnceAndReusesIt() throws InterruptedException {
        receiver.stubFor(post("/api/v3/send")
                .willReturn(
                        okJson("{\"data\": {\"id\": \"snd_1\"}, \"items\": [{\"tracking url\": \"https://t/1\"}]}")));
        var connector =
                create("/v1/connectors", """
                {"name": "Sendoso", "base_url": "%s",
                 "auth": {"type": "oauth2_client_credentials", "token_url": "%s", "client_id": "bestow",
                          "client_secret": "client-secret-0123456789", "scope": "send"}}
                """.formatted(receiver.baseUrl(), provider.tokenEndpointUrl("default")));
        assertThat(connector.get("auth").get("client_secret").asString()).isEqualTo("••••6789");
        var action = create("/v1/actions", """
                {"name": "Send gift", "connector_id": "%s", "method": "POST", "url": "/api/v3/send",
                 "body": {"touch_id": "{{ gift.touch_id }}", "email": "{{ customer.email }}"},
                 "outputs": {"send_id": "/data/id", "tracking": "$.items[0]['tracking url']"}}
                """.formatted(connector.get("id").asString()));

        var data = "{\"data\": {\"gift\": {\"touch_id\": 42}, \"customer\": {\"email\": \"ann@example.com\"}}}";
        var first = api.post("/v1/actions/" + action.get("id").asString() + "/test", data);
        var second = api.post("/v1/actions/" + action.get("id").asString() + "/test", data);

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().get("outcome").asString()).isEqualTo("succeeded");
        assertThat(first.json().get("outputs").get("send_id").asString()).isEqualTo("snd_1");
        assertThat(first.json().get("outputs").get("tracking").asString()).isEqualTo("https://t/1");
        assertThat(first.json().get("request").get("body").asString())
                .isEqualTo("{\"touch_id\":\"42\",\"email\":\"ann@example.com\"}");
        assertThat(first.json()
                        .get("request")
                        .get("headers")
                        .get("Authorization")
                        .asString())
                .startsWith("Bearer ••••");
        assertThat(second.json().get("outcome").asString()).isEqualTo("succeeded");
        var sent = receiver.findAll(postRequestedFor(urlPathEqualTo("/api/v3/send")));
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).getHeader("Authorization")).startsWith("Bearer ");
        assertThat(sent.get(1).getHeader("Authorization")).isEqualTo(sent.get(0).getHeader("Authorization"));
        assertThat(tokenRequests()).hasSize(1);
        assertThat(api.get("/v1/connectors/Sendoso").json().get("status").get("token_expires_at"))
                .isNotNull();
    }

    @Test
    void authorizesWithTheAuthorizationCodeFlowAndRefreshesATokenAboutToExpire() throws Exception {
        receiver.stubFor(post("/crm/tasks").willReturn(okJson("{\"id\": 7}")));
        var connector = authorizedConnector("CRM", 10);
        assertThat(connector.get("status").get("authorized").asBoolean()).isTrue();
        assertThat(connector.get("status").get("refreshable").asBoolean()).isTrue();
        var action = create("/v1/actions", """
                {"name": "Create task", "connector_id": "%s", "url": "/crm/tasks", "body": "{\\"title\\": \\"Call\\"}"}
                """.formatted(connector.get("id").asString()));

        // The first token expires in 10 s, within the 30 s margin: it is refreshed before the call.
        var run = api.post("/v1/actions/" + action.get("id").asString() + "/test", "{}")
                .json();

        assertThat(run.get("outcome").asString()).as(run.toString()).isEqualTo("succeeded");
        var grants = tokenRequests();
        assertThat(grants).containsExactly("authorization_code", "refresh_token");
        var refreshed =
                api.get("/v1/connectors/" + connector.get("id").asString()).json();
        assertThat(refreshed.get("status").get("token_expires_at").asString())
                .isNotEqualTo(connector.get("status").get("token_expires_at").asString());
        assertThat(tokenRequests()).isEmpty();
    }

    @Test
    void a401RefreshesTheTokenOnceAndRetries() throws Exception {
        receiver.stubFor(post("/crm/notes")
                .inScenario("401")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(401))
                .willSetStateTo("refreshed"));
        receiver.stubFor(post("/crm/notes")
                .inScenario("401")
                .whenScenarioStateIs("refreshed")
                .willReturn(okJson("{\"ok\": true}")));
        var connector = authorizedConnector("CRM 401", 3600);
        var action = create("/v1/actions", """
                {"name": "Note", "connector_id": "%s", "url": "/crm/notes", "body": "{}"}
                """.formatted(connector.get("id").asString()));

        var run = api.post("/v1/actions/" + action.get("id").asString() + "/test", "{}")
                .json();

        assertThat(run.get("outcome").asString()).as(run.toString()).isEqualTo("succeeded");
        assertThat(run.get("attempts").asInt()).isEqualTo(2);
        var sent = receiver.findAll(postRequestedFor(urlPathEqualTo("/crm/notes")));
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).getHeader("Authorization"))
                .isNotEqualTo(sent.get(0).getHeader("Authorization"));
        assertThat(tokenRequests()).containsExactly("authorization_code", "refresh_token");

        // A receiver that refuses every token gets one refresh, not a loop.
        receiver.stubFor(post("/crm/always401").willReturn(aResponse().withStatus(401)));
        var refused = create("/v1/actions", """
                {"name": "Refused", "connector_id": "%s", "url": "/crm/always401", "body": "{}"}
                """.formatted(connector.get("id").asString()));
        var failed = api.post("/v1/actions/" + refused.get("id").asString() + "/test", "{}")
                .json();
        assertThat(failed.get("outcome").asString()).isEqualTo("failed");
        assertThat(failed.get("status").asInt()).isEqualTo(401);
        assertThat(receiver.findAll(postRequestedFor(urlPathEqualTo("/crm/always401"))))
                .hasSize(2);
        assertThat(tokenRequests()).containsExactly("refresh_token");
    }

    @Test
    void retriesA503WithTheSameIdempotencyKeyUntilItSucceeds() {
        receiver.stubFor(post("/flaky")
                .inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("second"));
        receiver.stubFor(post("/flaky")
                .inScenario("flaky")
                .whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(502))
                .willSetStateTo("third"));
        receiver.stubFor(
                post("/flaky").inScenario("flaky").whenScenarioStateIs("third").willReturn(okJson("{}")));
        var action = plainAction("Flaky", "/flaky", "{\"max_attempts\": 3, \"initial_backoff_ms\": 10}");

        var run = api.post("/v1/actions/" + action.get("id").asString() + "/test", "{}")
                .json();

        assertThat(run.get("outcome").asString()).as(run.toString()).isEqualTo("succeeded");
        assertThat(run.get("attempts").asInt()).isEqualTo(3);
        var sent = receiver.findAll(postRequestedFor(urlPathEqualTo("/flaky")));
        assertThat(sent).hasSize(3);
        assertThat(sent)
                .extracting(r -> r.getHeader("Idempotency-Key"))
                .containsOnly(run.get("id").asString());
        var log =
                api.get("/v1/actions/" + action.get("id").asString() + "/calls").json();
        assertThat(log.get("total").asInt()).isEqualTo(3);
        assertThat(log.get("calls")).extracting(c -> c.get("attempt").asInt()).containsExactly(3, 2, 1);
        assertThat(log.get("calls"))
                .extracting(c -> c.get("outcome").asString())
                .containsExactly("succeeded", "failed", "failed");
    }

    @Test
    void waitsAsLongAsRetryAfterAsks() {
        receiver.stubFor(post("/busy")
                .inScenario("busy")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1"))
                .willSetStateTo("ok"));
        receiver.stubFor(
                post("/busy").inScenario("busy").whenScenarioStateIs("ok").willReturn(okJson("{}")));
        var action = plainAction("Busy", "/busy", "{\"max_attempts\": 2, \"initial_backoff_ms\": 1}");

        var run = api.post("/v1/actions/" + action.get("id").asString() + "/test", "{}")
                .json();

        assertThat(run.get("outcome").asString()).isEqualTo("succeeded");
        var sent = receiver.findAll(postRequestedFor(urlPathEqualTo("/busy")));
        assertThat(sent).hasSize(2);
        var gap = sent.get(1).getLoggedDate().getTime()
                - sent.get(0).getLoggedDate().getTime();
        assertThat(gap).isGreaterThanOrEqualTo(950);

        // A wait longer than the action accepts fails the call instead of holding it.
        receiver.stubFor(post("/later").willReturn(aResponse().withStatus(503).withHeader("Retry-After", "3600")));
        var later = plainAction("Later", "/later", "{\"max_attempts\": 5}");
        var refused = api.post("/v1/actions/" + later.get("id").asString() + "/test", "{}")
                .json();
        assertThat(refused.get("outcome").asString()).isEqualTo("failed");
        assertThat(refused.get("error").asString()).contains("asked to wait 3600 s");
        assertThat(receiver.findAll(postRequestedFor(urlPathEqualTo("/later")))).hasSize(1);
    }

    @Test
    void opensTheCircuitAfterRepeatedFailures() {
        receiver.stubFor(post("/down").willReturn(aResponse().withStatus(500)));
        var action = plainAction("Down", "/down", "{\"max_attempts\": 1}");
        for (int i = 0; i < 5; i++) {
            var run = api.post("/v1/actions/" + action.get("id").asString() + "/test", "{}")
                    .json();
            assertThat(run.get("error").asString()).isEqualTo("The receiver answered 500");
        }

        var refused = api.post("/v1/actions/" + action.get("id").asString() + "/test", "{}")
                .json();

        assertThat(refused.get("outcome").asString()).isEqualTo("failed");
        assertThat(refused.get("error").asString()).startsWith("circuit_open");
        assertThat(receiver.findAll(postRequestedFor(urlPathEqualTo("/down")))).hasSize(5);
        var failures = api.get("/v1/events?type=action.failed&limit=100").json();
        assertThat(failures.toString()).contains("circuit_open");
    }

    @Test
    void keepsPayloadsValidJsonWhateverTheCustomerDataHolds() {
        receiver.stubFor(post("/echo").willReturn(okJson("{}")));
        var name = "Zoë \"Z\" O'Brien\\ \n\t</script> 😀 ${x} {{ y }}";
        var customer = api.post(
                "/v1/customers",
                json.writeValueAsString(Map.of(
                        "source_id",
                        "c-1",
                        "first_name",
                        name,
                        "email",
                        "zoe@example.com",
                        "metadata",
                        Map.of("tier", "gold", "tags", List.of("a", "b")))));
        assertThat(customer.status()).as(customer.body()).isEqualTo(200);
        var action =
                create("/v1/actions", """
                {"name": "Echo", "connector_id": "%s", "url": "/echo",
                 "body": "{\\"greeting\\": \\"Hello {{ customer.first_name }}!\\", \\"meta\\": {{ customer.metadata | json }}, \\"n\\": {{ customer.metadata.tags | size }}}"}
                """.formatted(plainConnector().get("id").asString()));

        var run = api.post("/v1/actions/" + action.get("id").asString() + "/test", "{\"customer_id\": \"c-1\"}")
                .json();

        assertThat(run.get("outcome").asString()).as(run.toString()).isEqualTo("succeeded");
        var sent = json.readTree(receiver.findAll(postRequestedFor(urlPathEqualTo("/echo")))
                .getFirst()
                .getBodyAsString());
        assertThat(sent.get("greeting").asString()).isEqualTo("Hello " + name + "!");
        assertThat(sent.get("meta").get("tags").get(1).asString()).isEqualTo("b");
        assertThat(sent.get("n").asInt()).isEqualTo(2);
    }

    @Test
    void refusesActionsWhosePayloadCannotBeJsonOrNamesMissingVariables() {
        var connector = plainConnector().get("id").asString();
        var broken = api.post("/v1/actions", """
                {"name": "Broken", "connector_id": "%s", "url": "/x", "body": "{\\"a\\": {{ order.amount }"}
                """.formatted(connector));
        assertThat(broken.status()).isEqualTo(422);
        assertThat(broken.json().get("key").asString()).isEqualTo("invalid_payload");
        assertThat(broken.json().get("details").has("body")).isTrue();

        var missing = api.post("/v1/actions", """
                {"name": "Missing", "connector_id": "%s", "url": "/x", "body": "{\\"a\\": \\"{{ customer.nmae }}\\"}",
                 "sample": {"customer": {"name": "Ann"}}}
                """.formatted(connector));
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.json().get("message").asString()).contains("customer.nmae");

        var unquoted = api.post("/v1/actions", """
                {"name": "Amount", "connector_id": "%s", "url": "/x", "body": "{\\"amount\\": {{ order.amount }}}"}
                """.formatted(connector));
        assertThat(unquoted.status()).as(unquoted.body()).isEqualTo(201);
        var preview = api.post("/v1/actions/Amount/preview", "{\"data\": {\"order\": {\"amount\": 1250}}}");
        assertThat(preview.json().get("request").get("body").asString()).isEqualTo("{\"amount\": 1250}");
        var previewMissing = api.post("/v1/actions/Amount/preview", "{\"data\": {}}");
        assertThat(previewMissing.status()).isEqualTo(422);
        assertThat(receiver.getAllServeEvents()).isEmpty();
    }

    @Test
    void refusesCallsToPrivateLoopbackAndMetadataAddresses() {
        receiver.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        receiver.stubFor(post("/hop")
                .willReturn(aResponse()
                        .withStatus(302)
                        .withHeader("Location", "http://127.0.0.1:" + receiver.port() + "/landed")));
        for (var target : List.of(
                "http://127.0.0.1:" + receiver.port(),
                "http://169.254.169.254",
                "http://10.0.0.1",
                "http://[::1]:" + receiver.port())) {
            var connector = create("/v1/connectors", """
                    {"name": "%s", "base_url": "%s"}
                    """.formatted(target, target));
            var action = create(
                    "/v1/actions", """
                    {"name": "to %s", "connector_id": "%s", "url": "/latest/meta-data", "method": "GET",
                     "retry": {"max_attempts": 1}}
                    """.formatted(target, connector.get("id").asString()));
            var run = api.post("/v1/actions/" + action.get("id").asString() + "/test", "{}")
                    .json();
            assertThat(run.get("outcome").asString()).isEqualTo("failed");
            assertThat(run.get("error").asString()).contains("refused unless BESTOW_OUTBOUND_ALLOW allows them");
        }
        var hop = plainAction("Hop", "/hop", "{\"max_attempts\": 1}");
        var redirected = api.post("/v1/actions/" + hop.get("id").asString() + "/test", "{}")
                .json();
        assertThat(redirected.get("error").asString()).contains("resolves to 127.0.0.1");

        assertThat(receiver.getAllServeEvents()).hasSize(1);
        assertThat(receiver.getAllServeEvents().getFirst().getRequest().getUrl())
                .isEqualTo("/hop");
    }

    @Test
    void neverShowsOrLogsSecrets(CapturedOutput output) {
        receiver.stubFor(any(anyUrl()).willReturn(okJson("{\"echo\": \"sk_live_SUPERSECRET_42424242\"}")));
        var connector = create("/v1/connectors", """
                {"name": "Keyed", "base_url": "%s",
                 "auth": {"type": "api_key", "name": "X-Api-Key", "value": "sk_live_SUPERSECRET_42424242"}}
                """.formatted(receiver.baseUrl()));
        var query = create("/v1/connectors", """
                {"name": "Query keyed", "base_url": "%s",
                 "auth": {"type": "api_key", "in": "query", "name": "key", "value": "sk_live_SUPERSECRET_42424242"}}
                """.formatted(receiver.baseUrl()));
        var basic = create("/v1/connectors", """
                {"name": "Basic", "base_url": "%s",
                 "auth": {"type": "basic", "username": "bestow", "password": "sk_live_SUPERSECRET_42424242"}}
                """.formatted(receiver.baseUrl()));
        var ids = List.of(connector, query, basic).stream()
                .map(c -> c.get("id").asString())
                .toList();
        for (var id : ids) {
            var action = create("/v1/actions", """
                    {"name": "Ping %s", "connector_id": "%s", "url": "/ping", "body": "{}"}
                    """.formatted(id, id));
            var run = api.post("/v1/actions/" + action.get("id").asString() + "/test", "{}");
            assertThat(run.json().get("outcome").asString()).isEqualTo("succeeded");
            assertThat(run.body()).doesNotContain("SUPERSECRET");
            assertThat(api.post("/v1/actions/" + action.get("id").asString() + "/preview", "{}")
                            .body())
                    .doesNotContain("SUPERSECRET");
        }
        var received =
                receiver.getAllServeEvents().stream().map(e -> e.getRequest()).toList();
        assertThat(received)
                .anySatisfy(r -> assertThat(r.getHeader("X-Api-Key")).isEqualTo("sk_live_SUPERSECRET_42424242"));
        assertThat(received).anySatisfy(r -> assertThat(r.getUrl()).contains("key=sk_live_SUPERSECRET_42424242"));

        assertThat(api.get("/v1/connectors").body())
                .doesNotContain("SUPERSECRET")
                .contains("••••4242");
        assertThat(api.get("/v1/connectors/" + ids.getFirst() + "/calls").body())
                .doesNotContain("SUPERSECRET");
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM connectors.connectors WHERE position(convert_to('SUPERSECRET', 'UTF8') IN secrets) > 0",
                        Long.class))
                .isZero();
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM connectors.calls WHERE request::text LIKE '%SUPERSECRET%' OR response::text LIKE '%SUPERSECRET%'",
                        Long.class))
                .isZero();
        assertThat(output.getAll()).doesNotContain("SUPERSECRET");
    }

    @Test
    void onlyAdminsChangeConnectors() {
        var tenant = fixtures.tenant(port);
        var member = fixtures.keyFor(tenant.project(), Role.MEMBER, port);
        var refused = member.post("/v1/connectors", "{\"name\": \"x\", \"base_url\": \"https://example.com\"}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(member.get("/v1/connectors").status()).isEqualTo(200);
        var unknown = tenant.api().post("/v1/connectors", "{\"name\": \"x\", \"base_url\": \"ftp://example.com\"}");
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.json().get("details").has("base_url")).isTrue();
        var missingSecret = tenant.api().post("/v1/connectors", """
                {"name": "y", "base_url": "https://example.com", "auth": {"type": "bearer"}}
                """);
        assertThat(missingSecret.status()).isEqualTo(422);
        assertThat(missingSecret.json().get("details").has("auth.token")).isTrue();
    }

    @Test
    void importsTheSendosoTemplateAuthorizesItAndShowsTheExactRequestAndResponse() throws Exception {
        receiver.stubFor(post("/api/v3/send")
                .willReturn(okJson("{\"send_id\": \"snd_77\", \"tracking_url\": \"https://track/77\"}")));
        api.post("/v1/customers", """
                {"source_id": "ann", "first_name": "Ann", "last_name": "Lee", "email": "ann@example.com",
                 "address": {"line_1": "1 Main St", "city": "Austin", "country": "US"}}
                """);
        var template = (tools.jackson.databind.node.ObjectNode)
                api.get("/v1/connector-templates/sendoso").json();
        var auth = (tools.jackson.databind.node.ObjectNode)
                template.get("connector").get("auth");
        ((tools.jackson.databind.node.ObjectNode) template.get("connector")).put("base_url", receiver.baseUrl());
        auth.put(
                "authorization_url",
                provider.authorizationEndpointUrl("default").toString());
        auth.put("token_url", provider.tokenEndpointUrl("default").toString());
        auth.put("client_secret", "sendoso-secret-0123456789");
        auth.put("scope", "openid send"); // the test provider answers openid requests only
        var imported = api.post("/v1/connectors/import", template.toString());
        assertThat(imported.status()).as(imported.body()).isEqualTo(201);
        var connector = imported.json().get("connector");
        var action = imported.json().get("actions").get(0);

        authorize(connector, 3600);
        var run = api.post("/v1/actions/" + action.get("id").asString() + "/test", "{\"customer_id\": \"ann\"}")
                .json();

        assertThat(run.get("outcome").asString()).as(run.toString()).isEqualTo("failed");
        assertThat(run.get("error").asString()).contains("gift.touch_id");
        run = api.post("/v1/actions/" + action.get("id").asString() + "/test", """
                        {"data": {"gift": {"touch_id": "55"}, "message": "Thanks!", "confirm_address": false,
                                  "customer": {"first_name": "Ann", "last_name": "Lee", "email": "ann@example.com",
                                               "address": {"line_1": "1 Main St", "line_2": "", "city": "Austin",
                                                           "state": "TX", "postal_code": "73301", "country": "US"}}}}
                        """)
                .json();
        assertThat(run.get("outcome").asString()).as(run.toString()).isEqualTo("succeeded");
        assertThat(run.get("outputs").get("send_id").asString()).isEqualTo("snd_77");
        assertThat(run.get("response").get("status").asInt()).isEqualTo(200);
        assertThat(run.get("response").get("body").asString()).contains("snd_77");
        var shown = json.readTree(run.get("request").get("body").asString());
        var sent = json.readTree(receiver.findAll(postRequestedFor(urlPathEqualTo("/api/v3/send")))
                .getFirst()
                .getBodyAsString());
        assertThat(shown).isEqualTo(sent);
        assertThat(sent.get("touch_id").asString()).isEqualTo("55");
        assertThat(sent.get("name").asString()).isEqualTo("Ann Lee");
        assertThat(sent.get("confirm_address").asBoolean()).isFalse();
        assertThat(sent.get("address").get("zip").asString()).isEqualTo("73301");

        // The export carries no secret; imported elsewhere, the connector says what it still needs.
        var export = api.get("/v1/connectors/" + connector.get("id").asString() + "/export");
        assertThat(export.body()).doesNotContain("sendoso-secret").doesNotContain("client_secret");
        var elsewhere = fixtures.tenant(port).api();
        var copy = elsewhere.post("/v1/connectors/import", export.body());
        assertThat(copy.status()).as(copy.body()).isEqualTo(201);
        assertThat(copy.json().get("connector").get("status").get("authorized").asBoolean())
                .isFalse();
        assertThat(elsewhere.get("/v1/actions").json().get("total").asInt()).isEqualTo(1);
        assertThat(api.get("/v1/connector-templates").json().get("total").asInt())
                .isEqualTo(5);
    }

    private JsonNode authorizedConnector(String name, long firstTokenSeconds) throws Exception {
        var connector = create("/v1/connectors", """
                {"name": "%s", "base_url": "%s",
                 "auth": {"type": "oauth2_authorization_code", "authorization_url": "%s", "token_url": "%s",
                          "client_id": "bestow-crm", "client_secret": "crm-secret-0123456789", "scope": "openid tasks"}}
                """.formatted(
                        name,
                        receiver.baseUrl(),
                        provider.authorizationEndpointUrl("default"),
                        provider.tokenEndpointUrl("default")));
        return authorize(connector, firstTokenSeconds);
    }

    private JsonNode authorize(JsonNode connector, long firstTokenSeconds) throws Exception {
        assertThat(connector.get("status").get("authorized").asBoolean()).isFalse();
        var start = api.get("/v1/connectors/" + connector.get("id").asString() + "/authorize");
        assertThat(start.status()).isEqualTo(302);
        var authorizationUrl = URI.create(start.header("Location"));
        assertThat(authorizationUrl.getQuery())
                .contains("code_challenge_method=S256")
                .contains("state=");

        provider.enqueueCallback(
                new DefaultOAuth2TokenCallback("default", "admin", "JWT", List.of("crm"), Map.of(), firstTokenSeconds));
        var browser = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        var login =
                browser.send(HttpRequest.newBuilder(authorizationUrl).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(302);
        var callback = URI.create(login.headers().firstValue("Location").orElseThrow());
        assertThat(callback.getPath()).isEqualTo("/oauth/callback");
        var landed = browser.send(
                HttpRequest.newBuilder(
                                URI.create("http://localhost:" + port + "/oauth/callback?" + callback.getRawQuery()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(landed.statusCode()).as(landed.body()).isEqualTo(200);
        assertThat(landed.body()).contains("is authorized");
        var replayed = browser.send(
                HttpRequest.newBuilder(
                                URI.create("http://localhost:" + port + "/oauth/callback?" + callback.getRawQuery()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(replayed.statusCode()).isEqualTo(400);
        return api.get("/v1/connectors/" + connector.get("id").asString()).json();
    }

    private JsonNode plainConnector() {
        return create("/v1/connectors", """
                {"name": "Plain %s", "base_url": "%s"}
                """.formatted(System.nanoTime(), receiver.baseUrl()));
    }

    private JsonNode plainAction(String name, String path, String retry) {
        return create(
                "/v1/actions", """
                {"name": "%s", "connector_id": "%s", "url": "%s", "body": "{}", "retry": %s}
                """.formatted(name, plainConnector().get("id").asString(), path, retry));
    }

    private JsonNode create(String path, String body) {
        var response = api.post(path, body);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    /** The provider's next request, or null when none comes within the time. */
    private static okhttp3.mockwebserver.@org.jspecify.annotations.Nullable RecordedRequest next(long millis) {
        try {
            return provider.takeRequest(millis, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The grant types of the token requests the provider received since the last call. */
    private List<String> tokenRequests() throws InterruptedException {
        var grants = new java.util.ArrayList<String>();
        okhttp3.mockwebserver.RecordedRequest request;
        while ((request = next(200)) != null) {
            if (request.getPath() != null && request.getPath().contains("/token")) {
                var body = request.getBody().readUtf8();
                var grant = java.util.Arrays.stream(body.split("&"))
                        .filter(p -> p.startsWith("grant_type="))
                        .map(p -> p.substring("grant_type=".length()))
                        .findFirst()
                        .orElse("?");
                grants.add(grant);
            }
        }
        return grants;
    }
}
