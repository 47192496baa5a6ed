package io.bestow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bestow.identity.IdentityFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Stops and starts the whole service on one data directory, as an operator would. */
@ExtendWith(OutputCaptureExtension.class)
class RestartIntegrationTests {

    @TempDir
    Path dataDir;

    @Test
    void dataSurvivesARestartAndFirstStartRunsOnce(CapturedOutput output) {
        String projectId;
        String userId;
        try (var first = start("--demo")) {
            var api = api(first);
            projectId = api.get("/v1/project").json().get("id").asString();
            userId = api.post(
                            "/v1/users",
                            "{\"email\": \"kept@example.com\", \"password\": \"long-enough-pw\", \"name\": \"Kept\"}")
                    .json()
                    .get("id")
                    .asString();
            assertThat(api.get("/v1/users?limit=100").json().get("users").findValuesAsString("email"))
                    .contains(IdentityFixtures.BOOTSTRAP_ADMIN, "member@demo.bestow.local", "kept@example.com");
            assertThat(api.get("/v1/customers").json().get("total").asInt()).isEqualTo(300);
            var segment = api.get("/v1/segments").json().get("segments").get(0);
            assertThat(segment.get("name").asString()).isEqualTo("Gold customers in Germany");
            assertThat(api.get("/v1/segments/" + segment.get("id").asString())
                            .json()
                            .get("size")
                            .asInt())
                    .isPositive();
            assertThat(api.get("/v1/campaigns").json().get("total").asInt()).isEqualTo(3);
            assertThat(api.get("/v1/publications?campaign=Refer%20a%20friend")
                            .json()
                            .get("total")
                            .asInt())
                    .isEqualTo(10);
            assertThat(api.get("/v1/redemptions?result=SUCCESS")
                            .json()
                            .get("total")
                            .asInt())
                    .isEqualTo(4);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> api.get("/v1/referrals").json().get("total").asInt() == 4);
            assertThat(api.get("/v1/budgets").json().get("total").asInt()).isEqualTo(3);
            assertThat(api.get("/v1/gifts").json().get("total").asInt()).isEqualTo(4);
            // The sandbox walks the funded ones on every 300 ms here; the others wait for people.
            assertThat(api.get("/v1/sends?limit=100").json().get("sends").findValuesAsString("status"))
                    .contains("cancelled", "pending_approval", "pending_funds")
                    .hasSize(7);
            assertThat(api.get("/v1/budgets/ledger-check").json().get("ok").asBoolean())
                    .isTrue();
            assertThat(api.get("/v1/programs?status=active")
                            .json()
                            .get("programs")
                            .findValuesAsString("name"))
                    .containsExactlyInAnyOrder("Onboarding gift", "Milestone: 100 e-mails");
            // The onboarding program at work: a sign-up gets a coffee and the account team a task.
            api.post("/v1/events", "{\"event\": \"signed_up\", \"customer\": {\"source_id\": \"demo-0042\"}}");
            await().atMost(Duration.ofSeconds(15))
                    .until(() ->
                            api.get("/v1/tasks?status=open").json().get("tasks").findValuesAsString("title").stream()
                                    .anyMatch(title -> title.startsWith("Check in with")));
        }
        assertThat(output.getOut()).contains("X-App-Id: app_test").contains("Demo data seeded");
        int printedBefore = count(output.getOut(), "X-App-Token");

        try (var second = start()) {
            var api = api(second);
            assertThat(api.get("/v1/project").json().get("id").asString()).isEqualTo(projectId);
            assertThat(api.get("/v1/users/" + userId).json().get("name").asString())
                    .isEqualTo("Kept");
            assertThat(api.get("/v1/api-keys").json().get("total").asLong()).isEqualTo(1);
            assertThat(api.get("/v1/users").json().get("total").asLong()).isEqualTo(3);
        }
        assertThat(count(output.getOut(), "X-App-Token")).isEqualTo(printedBefore);
    }

    @Test
    void anEventWhoseListenerFailedIsDispatchedAgainAfterRestart() {
        try (var first = start()) {
            var jdbc = first.getBean(JdbcClient.class);
            var api = api(first);
            // The event stream's table goes away: the import's batch of events, which reaches the stream through the
            // outbox, fails there and its publication stays incomplete.
            jdbc.sql("ALTER TABLE webhooks.events RENAME TO events_offline").update();
            var accepted = api.upload(
                    "/v1/customers/importCSV",
                    "file",
                    "late.csv",
                    "source_id,name\nlate-1,Late One\nlate-2,Late Two\n".getBytes(StandardCharsets.UTF_8));
            assertThat(accepted.status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(10)).until(() -> failedPublications(jdbc) > 0);
            jdbc.sql("ALTER TABLE webhooks.events_offline RENAME TO events").update();
            assertThat(lateCustomerEvents(api)).isZero();
        }
        try (var second = start()) {
            var api = api(second);
            await().atMost(Duration.ofSeconds(15)).until(() -> lateCustomerEvents(api) == 2);
            assertThat(incompletePublications(second.getBean(JdbcClient.class))).isZero();
        }
    }

    private ConfigurableApplicationContext start(String... args) {
        var all = new ArrayList<>(List.of("--bestow.data-dir=" + dataDir, "--server.port=0"));
        all.addAll(List.of(args));
        return new SpringApplicationBuilder(Bestow.class).profiles("test").run(all.toArray(String[]::new));
    }

    private static TestApi api(ConfigurableApplicationContext context) {
        int port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
        return TestApi.at(port).as(IdentityFixtures.BOOTSTRAP_APP_ID, IdentityFixtures.BOOTSTRAP_APP_TOKEN);
    }

    private static long incompletePublications(JdbcClient jdbc) {
        return jdbc.sql("SELECT count(*) FROM events.event_publication WHERE completion_date IS NULL")
                .query(Long.class)
                .single();
    }

    private static long failedPublications(JdbcClient jdbc) {
        return jdbc.sql("SELECT count(*) FROM events.event_publication WHERE status = 'FAILED'")
                .query(Long.class)
                .single();
    }

    private static long lateCustomerEvents(TestApi api) {
        var events =
                api.get("/v1/events?type=customer.created&limit=100").json().get("events");
        return events.findValues("object").stream()
                .filter(o -> o.isObject() && o.path("source_id").asString("").startsWith("late-"))
                .count();
    }

    private static int count(String text, String needle) {
        return text.split(Pattern.quote(needle), -1).length - 1;
    }
}
