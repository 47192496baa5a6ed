package io.bestow.journeys;

import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.bestow.Nodes.api;
import static io.bestow.Nodes.start;
import static io.bestow.Nodes.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.bestow.TestApi;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Programs across a crash and across two nodes on one database: every API call is made once. */
class JourneyFailoverIntegrationTests {

    static final WireMockServer receiver = new WireMockServer(options().dynamicPort());

    @TempDir
    Path dataDir;

    @BeforeAll
    static void startReceiver() {
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop();
    }

    @Test
    void aNodeThatDiesAfterTheCallBeforeMovingOnDoesNotCallAgainWhenResumed() {
        receiver.resetAll();
        receiver.stubFor(post("/crash").willReturn(okJson("{\"id\": \"snd_crash\"}")));
        String programId;
        try (var first = start("--bestow.data-dir=" + dataDir)) {
            var api = api(first);
            programId = program(api, "/crash", null);
            api.post("/v1/customers", "{\"source_id\": \"crash-1\", \"email\": \"crash@example.com\"}");
            // The tasks go away: the node calls out, then cannot commit its move past the call, as if it died there.
            first.getBean(JdbcClient.class)
                    .sql("ALTER TABLE tasks.tasks RENAME TO tasks_offline")
                    .update();
            var entered = api.post("/v1/programs/" + programId + "/participants", "{\"customers\": [\"crash-1\"]}");
            assertThat(entered.status()).as(entered.body()).isEqualTo(202);
            received("/crash", 1);
            await().pollDelay(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> true);
            assertThat(api.get("/v1/programs/" + programId + "/participants?status=active")
                            .json()
                            .get("total")
                            .asInt())
                    .isEqualTo(1);
        }
        try (var second = start("--bestow.data-dir=" + dataDir)) {
            var api = api(second);
            second.getBean(JdbcClient.class)
                    .sql("ALTER TABLE tasks.tasks_offline RENAME TO tasks")
                    .update();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> api.get("/v1/programs/" + programId + "/participants?status=completed")
                                    .json()
                                    .get("total")
                                    .asInt()
                            == 1);
            assertThat(receiver.findAll(postRequestedFor(urlPathEqualTo("/crash"))))
                    .hasSize(1);
            assertThat(api.get("/v1/tasks?program_id=" + programId)
                            .json()
                            .get("total")
                            .asInt())
                    .isEqualTo(1);
            var participant = api.get("/v1/programs/" + programId + "/participants")
                    .json()
                    .get("participants")
                    .get(0);
            var detail = api.get("/v1/programs/" + programId + "/participants/"
                            + participant.get("id").asString())
                    .json();
            assertThat(detail.get("variables")
                            .get("steps")
                            .get("gift")
                            .get("outputs")
                            .get("send_id")
                            .asString())
                    .isEqualTo("snd_crash");
        }
    }

    @Test
    void twoNodesRunAThousandParticipantsWithEachCallMadeOnce() throws Exception {
        receiver.resetAll();
        receiver.stubFor(post("/shared").willReturn(ok().withFixedDelay(10)));
        try (var database = EmbeddedPostgres.builder().start()) {
            var url = database.getJdbcUrl("postgres", "postgres");
            var shared = List.of("--bestow.db.url=" + url, "--bestow.db.user=postgres", "--bestow.journeys.batch=25");
            try (var one = start(with(shared, "--bestow.data-dir=" + dataDir.resolve("one")));
                    var two = start(with(shared, "--bestow.data-dir=" + dataDir.resolve("two")))) {
                var api = api(one);
                var csv = new StringBuilder("source_id,email\n");
                for (int i = 0; i < 1_000; i++) {
                    csv.append("node-").append(i).append(",node").append(i).append("@example.com\n");
                }
                var imported = api.upload(
                        "/v1/customers/importCSV",
                        "file",
                        "customers.csv",
                        csv.toString().getBytes(StandardCharsets.UTF_8));
                assertThat(imported.status()).isEqualTo(202);
                var importId = imported.json().get("async_action_id").asString();
                await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/v1/async-actions/" + importId)
                        .json()
                        .get("status")
                        .asString()
                        .equals("DONE"));

                var programId = program(api, "/shared", "customer.source_id.startsWith('node-')");
                // Generous for a busy machine: alone it takes a few seconds; the stats tell where it stood.
                await().atMost(Duration.ofSeconds(180)).untilAsserted(() -> assertThat(
                                api(two).get("/v1/programs/" + programId + "/participants?status=completed")
                                        .json()
                                        .get("total")
                                        .asInt())
                        .as(() ->
                                api.get("/v1/programs/" + programId + "/stats").body())
                        .isEqualTo(1_000));

                var sent = receiver.findAll(postRequestedFor(urlPathEqualTo("/shared")));
                var keys = new HashSet<String>();
                sent.forEach(request -> keys.add(request.getHeader("Idempotency-Key")));
                assertThat(sent).hasSize(1_000);
                assertThat(keys).hasSize(1_000);
                assertThat(api.get("/v1/tasks?program_id=" + programId)
                                .json()
                                .get("total")
                                .asInt())
                        .isEqualTo(1_000);
            }
        }
    }

    /** A published program: call the path, then create a task; manual, or entering the query on publish. */
    private static String program(TestApi api, String path, String query) {
        var connector = api.post("/v1/connectors", """
                {"name": "Stub", "base_url": "%s", "auth": {"type": "none"}}
                """.formatted(receiver.baseUrl()));
        assertThat(connector.status()).as(connector.body()).isEqualTo(201);
        var action =
                api.post("/v1/actions", """
                {"name": "Send", "connector_id": "%s", "method": "POST", "url": "%s",
                 "body": {"email": "{{ customer.email }}"}, "outputs": {"send_id": "/id"}}
                """.formatted(connector.json().get("id").asString(), path));
        assertThat(action.status()).as(action.body()).isEqualTo(201);
        var participants =
                query == null ? "" : ", \"participants\": {\"query\": \"" + query.replace("\"", "\\\"") + "\"}";
        var program = api.post("/v1/programs", """
                {"name": "Failover", "trigger": {"type": "manual"}%s,
                 "steps": [{"id": "gift", "type": "call_api", "action_id": "%s"},
                           {"id": "cta", "type": "create_task", "title": "Check in"}]}
                """.formatted(
                        participants, action.json().get("id").asString()));
        assertThat(program.status()).as(program.body()).isEqualTo(201);
        var id = program.json().get("id").asString();
        var published = api.post("/v1/programs/" + id + "/publish", "{}");
        assertThat(published.status()).as(published.body()).isEqualTo(200);
        return id;
    }

    private static void received(String path, int count) {
        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        receiver.findAll(postRequestedFor(urlPathEqualTo(path))).size() >= count);
    }
}
