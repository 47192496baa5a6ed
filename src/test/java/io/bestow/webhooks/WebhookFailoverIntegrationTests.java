package io.bestow.webhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.ok;
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
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
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
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Deliveries across a crash and across two nodes on one database. */
@ExtendWith(OutputCaptureExtension.class)
class WebhookFailoverIntegrationTests {

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
    void aDeliveryWhoseNodeDiedBeforeAcknowledgingIsSentAgainWithTheSameIdAfterRestart(CapturedOutput output) {
        receiver.resetAll();
        receiver.stubFor(post("/crash").willReturn(ok()));
        String deliveryId;
        try (var first = start("--bestow.data-dir=" + dataDir, "--bestow.webhooks.lease=6s")) {
            var api = api(first);
            var jdbc = first.getBean(JdbcClient.class);
            create(api, "/crash");
            // The attempt log goes away: the node sends, then cannot record the outcome, as if it died right there.
            jdbc.sql("ALTER TABLE webhooks.attempts RENAME TO attempts_offline").update();
            api.post("/v1/customers", "{\"source_id\": \"crash\"}");
            var sent = received("/crash", 1);
            deliveryId = sent.getFirst().getHeader("webhook-id");
            // The receiver logs the request before the node has its answer: the log comes back once recording failed.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> output.getOut().contains("Recording 1 webhook deliveries failed"));
            jdbc.sql("ALTER TABLE webhooks.attempts_offline RENAME TO attempts").update();
            assertThat(jdbc.sql("SELECT status FROM webhooks.deliveries WHERE id = ?")
                            .param(deliveryId)
                            .query(String.class)
                            .single())
                    .isEqualTo("pending");
        }
        try (var second = start("--bestow.data-dir=" + dataDir)) {
            var api = api(second);
            var again = received("/crash", 2);
            assertThat(again).extracting(r -> r.getHeader("webhook-id")).containsOnly(deliveryId);
            await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/v1/deliveries/" + deliveryId)
                    .json()
                    .get("status")
                    .asString()
                    .equals("succeeded"));
            assertThat(api.get("/v1/deliveries/" + deliveryId)
                            .json()
                            .get("attempts")
                            .asInt())
                    .isEqualTo(2);
        }
    }

    @Test
    void twoNodesOnOneDatabaseSendEachDeliveryOnce() throws Exception {
        receiver.resetAll();
        receiver.stubFor(post("/shared").willReturn(ok().withFixedDelay(20)));
        try (var database = EmbeddedPostgres.builder().start()) {
            var url = database.getJdbcUrl("postgres", "postgres");
            // Few deliveries wait in a node's memory: the rest go back to the database for either node to claim.
            var shared =
                    List.of("--bestow.db.url=" + url, "--bestow.db.user=postgres", "--bestow.webhooks.max-waiting=10");
            try (var one = start(with(shared, "--bestow.data-dir=" + dataDir.resolve("one")));
                    var two = start(with(shared, "--bestow.data-dir=" + dataDir.resolve("two")))) {
                var api = api(one);
                create(api, "/shared");
                var csv = new StringBuilder("source_id,name\n");
                for (int i = 0; i < 300; i++) {
                    csv.append("node-").append(i).append(",Customer ").append(i).append('\n');
                }
                var accepted = api(two).upload(
                                "/v1/customers/importCSV",
                                "file",
                                "customers.csv",
                                csv.toString().getBytes(StandardCharsets.UTF_8));
                assertThat(accepted.status()).isEqualTo(202);

                var sent = received("/shared", 300);
                Thread.sleep(1_000);
                sent = receiver.findAll(postRequestedFor(urlPathEqualTo("/shared")));
                var ids = new HashSet<String>();
                sent.forEach(r -> ids.add(r.getHeader("webhook-id")));
                assertThat(sent).hasSize(300);
                assertThat(ids).hasSize(300);
                var claims = one.getBean(JdbcClient.class)
                        .sql("SELECT count(*) FROM webhooks.attempts")
                        .query(Long.class)
                        .single();
                assertThat(claims).isEqualTo(300);
            }
        }
    }

    private static void create(TestApi api, String path) {
        var created = api.post("/v1/webhooks", """
                {"url": "%s%s", "event_types": ["customer.created"], "max_in_flight": 5}
                """.formatted(receiver.baseUrl(), path));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    private static List<LoggedRequest> received(String path, int count) {
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        receiver.findAll(postRequestedFor(urlPathEqualTo(path))).size() >= count);
        return receiver.findAll(postRequestedFor(urlPathEqualTo(path)));
    }
}
