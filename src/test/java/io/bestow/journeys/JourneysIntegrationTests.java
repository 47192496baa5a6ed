package io.bestow.journeys;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.bestow.BestowTest;
import io.bestow.SettableClock;
import io.bestow.TestApi;
import io.bestow.gifts.GiftFixtures;
import io.bestow.identity.IdentityFixtures;
import io.bestow.shared.AsyncActions;
import io.bestow.shared.ProjectId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Programs end to end: triggers, every kind of step against WireMock and the real modules, on a settable clock. */
@BestowTest
@Import(SettableClock.Configuration.class)
class JourneysIntegrationTests {

    static final WireMockServer receiver = new WireMockServer(options().dynamicPort());
    static final JsonMapper json = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    SettableClock clock;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ProgramCounts counts;

    @Autowired
    Entering entering;

    @Autowired
    AsyncActions asyncActions;

    /** The app's own mapper, for what it reads back (job data). */
    @Autowired
    JsonMapper appJson;

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
        receiver.stubFor(post("/api/v3/send").willReturn(okJson("{\"id\": \"snd_1\", \"tracking\": \"T-1\"}")));
        var tenant = fixtures.tenant(port);
        api = tenant.api();
        project = tenant.project();
    }

    /**
     * After every test, whatever it did to participants (entries, steps, retries, failures, stops, re-entries), the
     * programs' figures are what counting their participants and history gives, before and after folding them.
     */
    @AfterEach
    void figuresAreWhatCountingGives() {
        assertThat(figuresThatDiffer()).isEmpty();
        counts.fold(0);
        assertThat(figuresThatDiffer()).isEmpty();
    }

    /** In one statement, so that runners still at work change both sides alike. */
    private List<String> figuresThatDiffer() {
        return jdbc.sql("""
                        WITH counted AS (
                            SELECT program_id, coalesce(status, step || '/' || outcome) AS figure, sum(n) AS n
                            FROM journeys.program_counts GROUP BY 1, 2 HAVING sum(n) <> 0
                        ), actual AS (
                            SELECT program_id, status AS figure, count(*) AS n FROM journeys.participants GROUP BY 1, 2
                            UNION ALL
                            SELECT program_id, step || '/' || outcome, count(*) FROM journeys.history
                            WHERE step IS NOT NULL GROUP BY program_id, step, outcome
                        )
                        SELECT coalesce(c.program_id, a.program_id) || ' ' || coalesce(c.figure, a.figure)
                               || ': counted ' || coalesce(c.n, 0) || ', actually ' || coalesce(a.n, 0)
                        FROM counted c FULL JOIN actual a ON a.program_id = c.program_id AND a.figure = c.figure
                        WHERE coalesce(c.n, 0) <> coalesce(a.n, 0)
                        """).query(String.class).list();
    }

    @Test
    void anEventEntersACustomerWhoIsCalledForWaitsBranchesAndGetsATask() {
        var action = action("/api/v3/send");
        var customer = customer("claire", "claire@example.com", "{\"owner\": \"alice@example.com\"}");
        var program = create("""
                {"name": "Onboarding gift",
                 "trigger": {"type": "event", "event": "signed_up", "condition": "event.metadata.plan == 'pro'"},
                 "steps": [
                   {"id": "gift", "type": "call_api", "action_id": "%s", "mapping": {"touch_id": "123", "note": "Hi {{ customer.first_name }}"}},
                   {"id": "later", "type": "wait", "duration": "14d"},
                   {"id": "sent", "type": "branch", "condition": "steps.gift.outputs.send_id == 'snd_1'", "then": "cta", "else": "done"},
                   {"id": "cta", "type": "create_task", "title": "Check in with {{ customer.first_name }}", "due_in_days": 14,
                    "assignee": "{{ customer.metadata.owner }}", "next": "done"},
                   {"id": "done", "type": "end"}]}
                """.formatted(action));
        var id = program.get("id").asString();

        var preview = api.post("/v1/programs/" + id + "/preview", "{\"customer_id\": \"claire\"}");
        assertThat(preview.status()).as(preview.body()).isEqualTo(200);
        var previewed = preview.json().get("steps").get(0).get("request").get("body");
        assertThat(preview.json().get("valid").asBoolean()).as(preview.body()).isTrue();
        assertThat(preview.json().get("steps").get(3).get("task").get("title").asString())
                .isEqualTo("Check in with Claire");
        publish(id);

        // The condition does not hold: nobody enters.
        event("signed_up", "claire", "{\"plan\": \"free\"}");
        event("signed_up", "claire", "{\"plan\": \"pro\"}");
        var participant = await().atMost(Duration.ofSeconds(15))
                .until(() -> only(id), p -> p.get("status").asString().equals("waiting"));
        var sent = receiver.findAll(postRequestedFor(urlPathEqualTo("/api/v3/send")));
        assertThat(sent).hasSize(1);
        assertThat(json.readTree(sent.getFirst().getBodyAsString())).isEqualTo(json.readTree(previewed.asString()));
        assertThat(json.readTree(sent.getFirst().getBodyAsString()).get("note").asString())
                .isEqualTo("Hi Claire");

        clock.advance(Duration.ofDays(15));
        awaitStatus(id, "completed");
        var tasks = api.get("/v1/tasks?program_id=" + id).json().get("tasks");
        assertThat(tasks).hasSize(1);
        assertThat(tasks.get(0).get("title").asString()).isEqualTo("Check in with Claire");
        assertThat(tasks.get(0).get("assignee").asString()).isEqualTo("alice@example.com");
        assertThat(tasks.get(0).get("customer_id").asString())
                .isEqualTo(customer.get("id").asString());

        var detail = api.get("/v1/programs/" + id + "/participants/"
                        + participant.get("id").asString())
                .json();
        assertThat(detail.get("history").findValuesAsString("outcome"))
                .containsExactly(
                        "entered",
                        "succeeded",
                        "waiting",
                        "succeeded",
                        "succeeded",
                        "succeeded",
                        "succeeded",
                        "completed");
        assertThat(detail.get("variables")
                        .get("steps")
                        .get("gift")
                        .get("outputs")
                        .get("send_id")
                        .asString())
                .isEqualTo("snd_1");
        var stats = api.get("/v1/programs/" + id + "/stats").json();
        assertThat(stats.get("participants").get("completed").asInt()).isEqualTo(1);
        assertThat(stats.get("steps").get("gift").get("succeeded").asInt()).isEqualTo(1);
        var timeline = api.get("/v1/customers/claire/activity?limit=20").json().toString();
        assertThat(timeline).contains("program.entered").contains("program.completed");
        var events = api.get("/v1/events?limit=100").json().toString();
        assertThat(events).contains("program.participant.entered").contains("program.participant.completed");
    }

    @Test
    void aFailedCallIsRetriedAndThenBranchesOnFailureToAMessage() {
        receiver.stubFor(
                post("/api/v3/broken").willReturn(aResponse().withStatus(422).withBody("{\"error\": \"no\"}")));
        var action = action("/api/v3/broken");
        customer("dora", "dora@example.com", "{}");
        var id = create("""
                {"name": "Failing", "trigger": {"type": "manual"},
                 "steps": [
                   {"id": "gift", "type": "call_api", "action_id": "%s", "mapping": {"touch_id": "1", "note": ""},
                    "retry": {"max_attempts": 2, "backoff": "1h"}, "on_failure": "continue"},
                   {"id": "ok", "type": "branch", "if": "previous_succeeded", "then": "done", "else": "alert"},
                   {"id": "alert", "type": "send_message", "to": "team@example.com",
                    "subject": "Gift for {{ customer.email }} failed", "text": "{{ steps.gift.error }}"},
                   {"id": "done", "type": "end"}]}
                """.formatted(action)).get("id").asString();
        publish(id);
        enter(id, "dora");
        await().atMost(Duration.ofSeconds(15))
                .until(() -> only(id).get("attempts").asInt() == 1);
        assertThat(receiver.findAll(postRequestedFor(urlPathEqualTo("/api/v3/broken"))))
                .as(() -> api.get("/v1/programs/" + id + "/participants/"
                                + only(id).get("id").asString())
                        .body())
                .hasSize(1);

        clock.advance(Duration.ofHours(2));
        awaitStatus(id, "completed");
        assertThat(receiver.findAll(postRequestedFor(urlPathEqualTo("/api/v3/broken"))))
                .hasSize(2);
        var mails = api.get("/v1/outbox?to=team@example.com").json().get("mails");
        assertThat(mails).hasSize(1);
        assertThat(mails.get(0).get("subject").asString()).isEqualTo("Gift for dora@example.com failed");
    }

    @Test
    void localStepsSendAGiftIssueACodeAndUpdateTheCustomer() {
        var gifts = new GiftFixtures(api);
        var budget = gifts.budget(10_000);
        var gift = gifts.egift(1_000);
        var campaign = api.post("/v1/campaigns", """
                {"name": "Welcome codes", "campaign_type": "DISCOUNT_COUPONS", "type": "AUTO_UPDATE",
                 "voucher": {"type": "DISCOUNT_VOUCHER", "discount": {"type": "PERCENT", "percent_off": 10}}}
                """);
        assertThat(campaign.status()).as(campaign.body()).isEqualTo(200);
        customer("erin", "erin@example.com", "{}");
        var id = create("""
                {"name": "Welcome pack", "trigger": {"type": "manual"},
                 "steps": [
                   {"id": "gift", "type": "send_gift", "gift_id": "%s", "budget_id": "%s", "message": "Welcome {{ customer.first_name }}"},
                   {"id": "code", "type": "issue_code", "campaign": "Welcome codes"},
                   {"id": "mark", "type": "update_customer", "metadata": {"welcome_code": "{{ steps.code.outputs.code }}"}}]}
                """.formatted(
                                gift.get("id").asString(), budget.get("id").asString()))
                .get("id")
                .asString();
        publish(id);
        enter(id, "erin");
        awaitStatus(id, "completed");

        var sends = api.get("/v1/sends?limit=10").json().get("sends");
        assertThat(sends).hasSize(1);
        assertThat(sends.get(0).get("message").asString()).isEqualTo("Welcome Erin");
        var code = api.get("/v1/customers/erin")
                .json()
                .get("metadata")
                .get("welcome_code")
                .asString();
        assertThat(api.get("/v1/vouchers/" + code).json().get("holder_id").asString())
                .isEqualTo(api.get("/v1/customers/erin").json().get("id").asString());
    }

    @Test
    void aPausedProgramHoldsItsParticipantsUntilResumed() {
        customer("finn", "finn@example.com", "{}");
        var id = create("""
                {"name": "Paused", "trigger": {"type": "manual"},
                 "steps": [{"id": "later", "type": "wait", "duration": "1h"},
                           {"id": "cta", "type": "create_task", "title": "Call"}]}
                """).get("id").asString();
        publish(id);
        enter(id, "finn");
        awaitStatus(id, "waiting");
        assertThat(api.post("/v1/programs/" + id + "/pause", "{}").status()).isEqualTo(200);
        assertThat(api.post("/v1/programs/" + id + "/pause", "{}").status()).isEqualTo(409);
        assertThat(api.post("/v1/programs/" + id + "/participants", "{\"customers\": [\"finn\"]}")
                        .status())
                .isEqualTo(409);
        clock.advance(Duration.ofHours(2));
        sleep(1_500);
        assertThat(only(id).get("status").asString()).isEqualTo("waiting");

        assertThat(api.post("/v1/programs/" + id + "/resume", "{}").status()).isEqualTo(200);
        awaitStatus(id, "completed");
        assertThat(api.get("/v1/tasks?program_id=" + id).json().get("total").asInt())
                .isEqualTo(1);

        assertThat(api.post("/v1/programs/" + id + "/stop", "{}").status()).isEqualTo(200);
        assertThat(api.get("/v1/programs/" + id).json().get("status").asString())
                .isEqualTo("stopped");
    }

    @Test
    void aLongRunOfLocalStepsGoesOnOverSeveralTransactions() {
        customer("lou", "lou@example.com", "{}");
        var steps = new ArrayList<String>();
        for (int i = 1; i <= 45; i++) {
            steps.add("{\"id\": \"t%d\", \"type\": \"create_task\", \"title\": \"Task %d\"}".formatted(i, i));
        }
        var id = create("{\"name\": \"Many tasks\", \"trigger\": {\"type\": \"manual\"}, \"steps\": ["
                        + String.join(", ", steps) + "]}")
                .get("id")
                .asString();
        publish(id);
        enter(id, "lou");
        awaitStatus(id, "completed");
        assertThat(api.get("/v1/tasks?program_id=" + id).json().get("total").asInt())
                .isEqualTo(45);
    }

    @Test
    void stoppingAProgramEndsItsParticipantsAndPublishingStartsItAgain() {
        customer("kim", "kim@example.com", "{}");
        var id = create("""
                {"name": "Stopped", "trigger": {"type": "manual"},
                 "steps": [{"id": "later", "type": "wait", "duration": "1h"},
                           {"id": "cta", "type": "create_task", "title": "Never"}]}
                """).get("id").asString();
        publish(id);
        enter(id, "kim");
        awaitStatus(id, "waiting");
        assertThat(api.delete("/v1/programs/" + id).status()).isEqualTo(409);

        assertThat(api.post("/v1/programs/" + id + "/stop", "{}").status()).isEqualTo(200);
        assertThat(only(id).get("status").asString()).isEqualTo("exited");
        assertThat(api.get("/v1/events?type=program.participant.exited").json().toString())
                .contains(only(id).get("id").asString());
        clock.advance(Duration.ofHours(2));
        sleep(1_000);
        assertThat(api.get("/v1/tasks?program_id=" + id).json().get("total").asInt())
                .isZero();

        assertThat(publish(id).get("status").asString()).isEqualTo("active");
        assertThat(api.post("/v1/programs/" + id + "/stop", "{}").status()).isEqualTo(200);
        assertThat(api.delete("/v1/programs/" + id).status()).isEqualTo(204);
        assertThat(api.get("/v1/programs/" + id).status()).isEqualTo(404);
        assertThat(jdbc.sql("SELECT count(*) FROM journeys.history WHERE program_id = ?")
                        .param(id)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void aScheduledProgramEntersItsQueryWhenItsTimeComes() {
        api.post(
                "/v1/customers",
                "{\"source_id\": \"sched-1\", \"email\": \"s@example.com\", \"metadata\": {\"tier\": \"silver\"}}");
        var id = create("""
                {"name": "Monthly silver", "trigger": {"type": "schedule", "cron": "0 0 3 1 * *"},
                 "participants": {"query": "customer.metadata.tier == 'silver'"}, "settings": {"time_zone": "Europe/Berlin"},
                 "steps": [{"id": "cta", "type": "create_task", "title": "Monthly call with {{ customer.email }}"}]}
                """).get("id").asString();
        publish(id);
        sleep(1_000);
        assertThat(participants(id)).isEmpty();

        clock.advance(Duration.ofDays(32));
        awaitStatus(id, "completed");
        assertThat(only(id).get("entry").asInt()).isEqualTo(1);
    }

    @Test
    void aFiringsEnrollmentThatRunsAgainTakesNobodyTwiceEvenWithReEntry() {
        customer("rex", "rex@example.com", "{\"tier\": \"gold\"}");
        var id = create("""
                {"name": "Monthly gold", "trigger": {"type": "schedule", "cron": "0 0 3 1 * *"},
                 "participants": {"query": "customer.metadata.tier == 'gold'"}, "settings": {"re_entry": true},
                 "steps": [{"id": "cta", "type": "create_task", "title": "Monthly call with {{ customer.email }}"}]}
                """).get("id").asString();
        publish(id);
        clock.advance(Duration.ofDays(32));
        awaitStatus(id, "completed");
        var firing = only(id);
        var firedAt = api.get("/v1/programs/" + id + "/participants/"
                        + firing.get("id").asString())
                .json()
                .get("variables")
                .get("event")
                .get("fired_at")
                .asString();

        // The node running the firing's enrollment died after entering: another node runs the same job again.
        var again = asyncActions.create(project, "program.enrollment");
        entering.enroll(appJson.writeValueAsString(new Entering.Enrollment(
                project.value(),
                id,
                1,
                again.id(),
                "customer.metadata.tier == 'gold'",
                null,
                Map.of("name", "schedule", "fired_at", firedAt),
                null,
                null,
                Instant.parse(firedAt))));

        assertThat(participants(id)).hasSize(1);
        var result = asyncActions.find(project, again.id()).orElseThrow().result();
        assertThat(((Number) result.get("entered")).longValue()).isZero();
    }

    @Test
    void aDaysAfterScheduleEntersThoseWhoseDateWasThatManyDaysAgo() {
        var jump = Duration.ofDays(1).plusMinutes(3);
        var today = LocalDate.ofInstant(clock.instant().plus(jump), ZoneOffset.UTC);
        var nia = customer("nia", "nia@example.com", "{\"signup_date\": \"" + today.minusDays(30) + "\"}");
        customer("ned", "ned@example.com", "{\"signup_date\": \"" + today.minusDays(29) + "\"}");
        var id = create("""
                {"name": "Thirty days in", "trigger": {"type": "schedule", "days_after": 30, "date_attribute": "metadata.signup_date"},
                 "settings": {"at": "00:00"},
                 "steps": [{"id": "cta", "type": "create_task", "title": "A month with {{ customer.email }}"}]}
                """).get("id").asString();
        publish(id);

        clock.advance(jump);
        awaitStatus(id, "completed");
        assertThat(only(id).get("customer_id").asString())
                .isEqualTo(nia.get("id").asString());
    }

    @Test
    void quietHoursHoldOutboundStepsUntilTheyEnd() {
        var action = action("/api/v3/send");
        customer("lou", "lou@example.com", "{}");
        var now = LocalTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        var format = DateTimeFormatter.ofPattern("HH:mm");
        var id = create("""
                {"name": "Quiet", "trigger": {"type": "manual"},
                 "settings": {"quiet_hours": {"start": "%s", "end": "%s"}},
                 "steps": [{"id": "gift", "type": "call_api", "action_id": "%s", "mapping": {"touch_id": "1", "note": ""}}]}
                """.formatted(
                        now.minusHours(1).format(format), now.plusHours(1).format(format), action))
                .get("id")
                .asString();
        publish(id);
        enter(id, "lou");
        await().atMost(Duration.ofSeconds(15))
                .until(() -> only(id).has("next_run_at")
                        && Instant.parse(only(id).get("next_run_at").asString()).isAfter(clock.instant()));
        sleep(500);
        assertThat(receiver.findAll(postRequestedFor(urlPathEqualTo("/api/v3/send"))))
                .isEmpty();

        clock.advance(Duration.ofHours(2));
        awaitStatus(id, "completed");
        assertThat(receiver.findAll(postRequestedFor(urlPathEqualTo("/api/v3/send"))))
                .hasSize(1);
    }

    @Test
    void atMostTheHourlyNumberOfParticipantsStartsEachHour() {
        for (var name : List.of("max", "mia", "moe", "mo", "mu")) {
            customer(name, name + "@example.com", "{}");
        }
        var id = create("""
                {"name": "Throttled", "trigger": {"type": "manual"}, "settings": {"max_participants_per_hour": 2},
                 "steps": [{"id": "cta", "type": "create_task", "title": "Call {{ customer.email }}"}]}
                """).get("id").asString();
        publish(id);
        var entered = api.post(
                "/v1/programs/" + id + "/participants", "{\"customers\": [\"max\", \"mia\", \"moe\", \"mo\", \"mu\"]}");
        assertThat(entered.json().get("entered").asInt()).isEqualTo(5);
        awaitCount(id, "completed", 2);
        sleep(500);
        assertThat(api.get("/v1/programs/" + id + "/participants?status=active")
                        .json()
                        .get("total")
                        .asInt())
                .isEqualTo(3);

        clock.advance(Duration.ofHours(1));
        awaitCount(id, "completed", 4);
        clock.advance(Duration.ofHours(1));
        awaitCount(id, "completed", 5);
    }

    @Test
    void anUploadedListEntersTheCustomersItNames() {
        customer("lee", "lee@example.com", "{}");
        var id = create("""
                {"name": "Uploaded", "trigger": {"type": "manual"},
                 "steps": [{"id": "cta", "type": "create_task", "title": "Call {{ customer.email }}"}]}
                """).get("id").asString();
        publish(id);
        var uploaded = api.upload(
                "/v1/programs/" + id + "/participants",
                "file",
                "list.csv",
                "name,email\nLee,LEE@Example.com\nNobody,nobody@example.com\n".getBytes(StandardCharsets.UTF_8));
        assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(202);
        assertThat(uploaded.json().get("entered").asInt()).isEqualTo(1);
        assertThat(uploaded.json().get("not_found").get(0).asString()).isEqualTo("nobody@example.com");
        awaitStatus(id, "completed");
        var bad = api.upload(
                "/v1/programs/" + id + "/participants",
                "file",
                "list.csv",
                "name\nLee\n".getBytes(StandardCharsets.UTF_8));
        assertThat(bad.status()).isEqualTo(422);

        var lia = customer("lia", "lia@example.com", "{}");
        var listed = api.post(
                "/v1/programs/" + id + "/participants",
                "{\"customers\": [\"" + lia.get("id").asString() + "\", \"lee\", \"no-such-ref\"]}");
        assertThat(listed.json().get("entered").asInt()).isEqualTo(1);
        assertThat(listed.json().get("skipped").asInt()).isEqualTo(1);
        assertThat(listed.json().get("not_found"))
                .extracting(JsonNode::asString)
                .containsExactly("no-such-ref");
    }

    @Test
    void editingTheDraftLeavesThePublishedVersionAndItsParticipantsAlone() {
        customer("gus", "gus@example.com", "{}");
        customer("hal", "hal@example.com", "{}");
        var id = create("""
                {"name": "Versions", "trigger": {"type": "manual"},
                 "steps": [{"id": "later", "type": "wait", "duration": "1h"},
                           {"id": "cta", "type": "create_task", "title": "First title"}]}
                """).get("id").asString();
        publish(id);
        enter(id, "gus");
        var edited = api.put("/v1/programs/" + id, """
                {"steps": [{"id": "later", "type": "wait", "duration": "1h"},
                           {"id": "cta", "type": "create_task", "title": "Second title"}]}
                """);
        assertThat(edited.status()).as(edited.body()).isEqualTo(200);
        assertThat(edited.json().get("draft_changed").asBoolean()).isTrue();
        assertThat(edited.json().get("version").asInt()).isEqualTo(1);
        assertThat(api.get("/v1/programs/" + id + "/versions/1")
                        .json()
                        .get("steps")
                        .get(1)
                        .get("title")
                        .asString())
                .isEqualTo("First title");
        assertThat(publish(id).get("version").asInt()).isEqualTo(2);
        assertThat(api.post("/v1/programs/" + id + "/publish", "{}").status()).isEqualTo(409);
        enter(id, "hal");
        awaitCount(id, "waiting", 2);

        clock.advance(Duration.ofHours(2));
        awaitCount(id, "completed", 2);
        var titles = api.get("/v1/tasks?program_id=" + id).json().get("tasks").findValuesAsString("title");
        assertThat(titles).containsExactlyInAnyOrder("First title", "Second title");
    }

    @Test
    void aCustomerEntersOnceUnlessReEntryIsAllowedAndNeverTwiceAtATime() throws Exception {
        customer("ivy", "ivy@example.com", "{}");
        var once = create("""
                {"name": "Once", "trigger": {"type": "event", "event": "milestone_hit"},
                 "steps": [{"id": "cta", "type": "create_task", "title": "Once"}]}
                """).get("id").asString();
        var again = create("""
                {"name": "Again", "trigger": {"type": "event", "event": "milestone_hit"}, "settings": {"re_entry": true},
                 "steps": [{"id": "later", "type": "wait", "duration": "1h"}, {"id": "cta", "type": "create_task", "title": "Again"}]}
                """).get("id").asString();
        publish(once);
        publish(again);
        try (var executor = Executors.newFixedThreadPool(8)) {
            var futures = new ArrayList<Future<?>>();
            for (int i = 0; i < 8; i++) {
                futures.add(executor.submit(() -> event("milestone_hit", "ivy", "{}")));
            }
            for (var future : futures) {
                future.get();
            }
        }
        awaitStatus(once, "completed");
        assertThat(participants(again)).hasSize(1);
        event("milestone_hit", "ivy", "{}");
        assertThat(participants(once)).hasSize(1);
        awaitStatus(again, "waiting");

        clock.advance(Duration.ofHours(2));
        awaitStatus(again, "completed");
        event("milestone_hit", "ivy", "{}");
        assertThat(participants(once)).hasSize(1);
        var entries = participants(again);
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).get("entry").asInt()).isEqualTo(2);
    }

    @Test
    void badProgramsAreRefusedWithTheFieldsThatAreWrong() {
        var cycle = api.post("/v1/programs", """
                {"name": "Loop", "trigger": {"type": "manual"},
                 "steps": [{"id": "a", "type": "wait", "duration": "1h", "next": "b"}, {"id": "b", "type": "wait", "duration": "1h", "next": "a"}]}
                """);
        assertThat(cycle.status()).isEqualTo(422);
        assertThat(cycle.json().get("details").get("steps").asString()).contains("loop");
        var broken = api.post("/v1/programs", """
                {"name": "Broken", "trigger": {"type": "event"},
                 "steps": [{"id": "a", "type": "teleport"}, {"id": "b", "type": "branch", "condition": "customer.", "then": "zzz"}]}
                """);
        assertThat(broken.status()).isEqualTo(422);
        assertThat(broken.json().get("key").asString()).isEqualTo("invalid_payload");
        assertThat(broken.json().get("details").propertyNames())
                .contains("trigger.event", "steps.a.type", "steps.b.condition");
        assertThat(api.post("/v1/programs", "[]").status()).isEqualTo(422);

        // An OAuth 2.0 connector that was never authorized, a mapping field the action does not use, a template
        // naming a field customers lack, and a step nothing leads to.
        var connector =
                api.post("/v1/connectors", """
                {"name": "Unauthorized", "base_url": "%s",
                 "auth": {"type": "oauth2_authorization_code", "authorization_url": "%s/authorize", "token_url": "%s/token",
                          "client_id": "c", "client_secret": "s"}}
                """.formatted(receiver.baseUrl(), receiver.baseUrl(), receiver.baseUrl()));
        assertThat(connector.status()).as(connector.body()).isEqualTo(201);
        var unauthorized = api.post(
                        "/v1/actions", """
                {"name": "Needs token", "connector_id": "%s", "url": "/x", "body": {"touch_id": "{{ touch_id }}"}}
                """.formatted(connector.json().get("id").asString()))
                .json()
                .get("id")
                .asString();
        customer("jo", "jo@example.com", "{}");
        var id = create("""
                {"name": "Problems", "trigger": {"type": "manual"},
                 "steps": [{"id": "call", "type": "call_api", "action_id": "%s",
                            "mapping": {"touch_id": "{{ customer.metadata.touch }}", "colour": "red"}, "next": "done"},
                           {"id": "orphan", "type": "create_task", "title": "Never"},
                           {"id": "done", "type": "end"}]}
                """.formatted(unauthorized)).get("id").asString();
        var preview = api.post("/v1/programs/" + id + "/preview", "{\"customer_id\": \"jo\"}")
                .json();
        assertThat(preview.get("valid").asBoolean()).isFalse();
        var messages = preview.get("problems").findValuesAsString("message");
        assertThat(messages).anyMatch(m -> m.contains("not authorized"));
        assertThat(messages).anyMatch(m -> m.contains("colour"));
        assertThat(messages).anyMatch(m -> m.contains("touch"));
        assertThat(messages).anyMatch(m -> m.contains("No path"));
        var refused = api.post("/v1/programs/" + id + "/publish", "{}");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("key").asString()).isEqualTo("program_invalid");
        assertThat(api.get("/v1/programs/" + id).json().get("status").asString())
                .isEqualTo("draft");
    }

    @Test
    void aManualProgramEntersItsQueryOnPublish() {
        for (int i = 0; i < 5; i++) {
            api.post("/v1/customers", """
                    {"source_id": "vip-%d", "email": "vip%d@example.com", "metadata": {"tier": "gold"}}
                    """.formatted(i, i));
        }
        var id = create("""
                {"name": "Gold check-in", "trigger": {"type": "manual"},
                 "participants": {"query": "customer.metadata.tier\\n    == 'gold'"},
                 "steps": [{"id": "cta", "type": "create_task", "title": "Call {{ customer.email }}", "due_in_days": 3}]}
                """).get("id").asString();
        var preview = api.post("/v1/programs/" + id + "/preview", "{}").json();
        assertThat(preview.get("participants").get("count").asInt()).isEqualTo(5);
        var published = publish(id);
        var action = published.get("enrollment").get("async_action_id").asString();
        await().atMost(Duration.ofSeconds(15)).until(() -> api.get("/v1/async-actions/" + action)
                .json()
                .get("status")
                .asString()
                .equals("DONE"));
        awaitCount(id, "completed", 5);
        assertThat(api.get("/v1/tasks?program_id=" + id).json().get("total").asInt())
                .isEqualTo(5);
    }

    private String action(String path) {
        var connector = api.post("/v1/connectors", """
                {"name": "Sendoso %s", "base_url": "%s", "auth": {"type": "none"}}
                """.formatted(path.replace('/', '-'), receiver.baseUrl()));
        assertThat(connector.status()).as(connector.body()).isEqualTo(201);
        var action = api.post(
                "/v1/actions", """
                {"name": "Send %s", "connector_id": "%s", "method": "POST", "url": "%s",
                 "body": "{\\"touch_id\\": \\"{{ touch_id }}\\", \\"email\\": \\"{{ customer.email }}\\", \\"note\\": \\"{{ note | default: '' }}\\"}",
                 "outputs": {"send_id": "/id", "tracking": "/tracking"}}
                """.formatted(path, connector.json().get("id").asString(), path));
        assertThat(action.status()).as(action.body()).isEqualTo(201);
        return action.json().get("id").asString();
    }

    private JsonNode customer(String sourceId, String email, String metadata) {
        var created = api.post("/v1/customers", """
                {"source_id": "%s", "email": "%s", "first_name": "%s", "last_name": "Doe", "metadata": %s}
                """.formatted(
                        sourceId, email, Character.toUpperCase(sourceId.charAt(0)) + sourceId.substring(1), metadata));
        assertThat(created.status()).as(created.body()).isIn(200, 201);
        return created.json();
    }

    private JsonNode create(String body) {
        var created = api.post("/v1/programs", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json();
    }

    private JsonNode publish(String id) {
        var published = api.post("/v1/programs/" + id + "/publish", "{}");
        assertThat(published.status()).as(published.body()).isEqualTo(200);
        return published.json();
    }

    private void enter(String id, String customer) {
        var entered = api.post("/v1/programs/" + id + "/participants", "{\"customers\": [\"" + customer + "\"]}");
        assertThat(entered.status()).as(entered.body()).isEqualTo(202);
        assertThat(entered.json().get("entered").asInt()).isEqualTo(1);
    }

    private void event(String name, String customer, String metadata) {
        var tracked = api.post("/v1/events", """
                {"event": "%s", "customer": {"source_id": "%s"}, "metadata": %s}
                """.formatted(name, customer, metadata));
        assertThat(tracked.status()).as(tracked.body()).isIn(200, 201);
    }

    private List<JsonNode> participants(String id) {
        var list = new ArrayList<JsonNode>();
        api.get("/v1/programs/" + id + "/participants?limit=100")
                .json()
                .get("participants")
                .forEach(list::add);
        return list;
    }

    /** Waits for this many of the program's participants to be in the status, showing them all if they do not. */
    private void awaitCount(String id, String status, int count) {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                        api.get("/v1/programs/" + id + "/participants?status=" + status)
                                .json()
                                .get("total")
                                .asInt())
                .as(() -> api.get("/v1/programs/" + id + "/participants").body())
                .isEqualTo(count));
    }

    /** Waits for the program's only participant to reach the status, showing it with its history if it does not. */
    private void awaitStatus(String id, String status) {
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(only(id).get("status").asString())
                        .as(() -> api.get("/v1/programs/" + id + "/participants/"
                                        + only(id).get("id").asString())
                                .body())
                        .isEqualTo(status));
    }

    private JsonNode only(String id) {
        var all = participants(id);
        assertThat(all).hasSize(1);
        return all.getFirst();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
