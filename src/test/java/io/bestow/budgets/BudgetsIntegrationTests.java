package io.bestow.budgets;

import static io.bestow.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bestow.BestowTest;
import io.bestow.TestApi;
import io.bestow.identity.IdentityFixtures;
import io.bestow.identity.Role;
import io.bestow.shared.ProjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** Budgets and their ledger over HTTP: top-ups, adjustments, the ledger, its check, and who may move money. */
@BestowTest
class BudgetsIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    IdentityFixtures identity;

    @Autowired
    JdbcTemplate jdbc;

    TestApi api;
    ProjectId project;

    @BeforeEach
    void tenant() {
        var tenant = identity.tenant(port);
        api = tenant.api();
        project = tenant.project();
    }

    @Test
    void topsUpAdjustsAndKeepsALedgerThatAddsUp() {
        var budget = created(api.post("/v1/budgets", """
                {"name": "Team EMEA", "owner": {"type": "team", "id": "emea"}, "currency": "usd",
                 "low_balance_threshold": 50000, "metadata": {"region": "EMEA"}}
                """));
        var id = budget.get("id").asString();
        assertThat(id).startsWith("bud_");
        assertThat(budget.get("object").asString()).isEqualTo("budget");
        assertThat(budget.get("currency").asString()).isEqualTo("USD");
        assertThat(budget.get("available").asLong()).isZero();

        var topUp = created(api.post("/v1/budgets/" + id + "/top-ups", "{\"amount\": 250000, \"memo\": \"Q4\"}"));
        assertThat(topUp.get("type").asString()).isEqualTo("top_up");
        assertThat(topUp.get("from").asString()).isEqualTo("funding");
        assertThat(topUp.get("to").asString()).isEqualTo("available");
        assertThat(topUp.get("available_after").asLong()).isEqualTo(250000);
        var down = created(
                api.post("/v1/budgets/" + id + "/adjustments", "{\"amount\": -210000, \"memo\": \"moved to APAC\"}"));
        assertThat(down.get("from").asString()).isEqualTo("available");
        assertThat(down.get("to").asString()).isEqualTo("funding");
        assertError(
                api.post("/v1/budgets/" + id + "/adjustments", "{\"amount\": -50000, \"memo\": \"too much\"}"),
                409,
                "insufficient_funds");

        var after = get("/v1/budgets/" + id);
        assertThat(after.get("available").asLong()).isEqualTo(40000);
        assertThat(after.get("balance").asLong()).isEqualTo(40000);
        var ledger = get("/v1/budgets/" + id + "/ledger");
        assertThat(ledger.get("total").asInt()).isEqualTo(2);
        assertThat(ledger.get("entries"))
                .extracting(e -> e.get("type").asString())
                .containsExactly("adjustment", "top_up");
        assertThat(get("/v1/budgets/" + id + "/ledger?type=top_up").get("total").asInt())
                .isEqualTo(1);
        assertError(api.get("/v1/budgets/" + id + "/ledger?type=gift"), 400, "invalid_query_params");
        var events = get("/v1/events/feed?types=budget.*").get("events");
        assertThat(events)
                .extracting(e -> e.get("type").asString())
                .containsExactly("budget.created", "budget.topped_up", "budget.adjusted", "budget.low");
        assertThat(get("/v1/budgets/" + id + "/ledger-check").get("ok").asBoolean())
                .isTrue();
        assertThat(get("/v1/budgets?owner_type=team&currency=USD").get("total").asInt())
                .isEqualTo(1);
    }

    @Test
    void refusesBadBudgetsAndBadMoneyWithClearErrors() {
        assertError(api.post("/v1/budgets", "{\"name\": \"X\", \"currency\": \"USD\"}"), 422, "invalid_payload");
        assertError(
                api.post(
                        "/v1/budgets",
                        "{\"name\": \"X\", \"owner\": {\"type\": \"club\", \"id\": \"a\"}, \"currency\": \"USD\"}"),
                422,
                "invalid_payload");
        assertError(
                api.post(
                        "/v1/budgets",
                        "{\"name\": \"X\", \"owner\": {\"type\": \"team\", \"id\": \"a\"}, \"currency\": \"DOLLARS\"}"),
                422,
                "invalid_payload");
        assertError(
                api.post(
                        "/v1/budgets",
                        "{\"name\": \"X\", \"owner\": {\"type\": \"team\", \"id\": \"a\"}, \"currency\": \"USD\", \"balance\": 5}"),
                422,
                "invalid_payload");
        assertError(api.post("/v1/budgets", "[]"), 422, "invalid_payload");
        var id = created(api.post(
                        "/v1/budgets",
                        "{\"name\": \"X\", \"owner\": {\"type\": \"team\", \"id\": \"a\"}, \"currency\": \"EUR\"}"))
                .get("id")
                .asString();
        assertError(api.post("/v1/budgets/" + id + "/top-ups", "{\"amount\": 10.5}"), 422, "invalid_payload");
        assertError(api.post("/v1/budgets/" + id + "/top-ups", "{\"amount\": -5}"), 422, "invalid_payload");
        assertError(api.post("/v1/budgets/" + id + "/top-ups", "{\"amount\": 0}"), 422, "invalid_payload");
        assertError(api.post("/v1/budgets/" + id + "/top-ups", "{}"), 422, "invalid_payload");
        assertError(api.post("/v1/budgets/" + id + "/adjustments", "{\"amount\": 5}"), 422, "invalid_payload");
        assertError(api.put("/v1/budgets/" + id, "{\"currency\": \"USD\"}"), 422, "invalid_payload");
        assertError(api.post("/v1/budgets/bud_nope/top-ups", "{\"amount\": 5}"), 404, "not_found");
        assertThat(get("/v1/budgets/" + id + "/ledger").get("total").asInt()).isZero();

        var other = identity.tenant(port).api();
        assertError(other.get("/v1/budgets/" + id), 404, "not_found");
        assertError(other.post("/v1/budgets/" + id + "/top-ups", "{\"amount\": 5}"), 404, "not_found");
    }

    @Test
    void letsOnlyAdminsMoveMoneyAndDeleteOnlyUnusedBudgets() {
        var member = identity.keyFor(project, Role.MEMBER, port);
        assertError(
                member.post(
                        "/v1/budgets",
                        "{\"name\": \"M\", \"owner\": {\"type\": \"team\", \"id\": \"m\"}, \"currency\": \"USD\"}"),
                403,
                "forbidden");
        var used = created(api.post(
                        "/v1/budgets",
                        "{\"name\": \"Used\", \"owner\": {\"type\": \"team\", \"id\": \"u\"}, \"currency\": \"USD\"}"))
                .get("id")
                .asString();
        var unused = created(
                        api.post(
                                "/v1/budgets",
                                "{\"name\": \"Unused\", \"owner\": {\"type\": \"campaign\", \"id\": \"camp_1\"}, \"currency\": \"USD\"}"))
                .get("id")
                .asString();
        assertError(member.post("/v1/budgets/" + used + "/top-ups", "{\"amount\": 100}"), 403, "forbidden");
        assertError(member.get("/v1/budgets/ledger-check"), 403, "forbidden");
        assertThat(member.get("/v1/budgets/" + used).status()).isEqualTo(200);
        created(api.post("/v1/budgets/" + used + "/top-ups", "{\"amount\": 100}"));

        assertError(api.delete("/v1/budgets/" + used), 409, "budget_in_use");
        assertThat(api.delete("/v1/budgets/" + unused).status()).isEqualTo(204);
        assertError(api.get("/v1/budgets/" + unused), 404, "not_found");
    }

    @Test
    void keepsTheLedgerAppendOnlyAndItsCheckCatchesABalanceThatDisagrees() {
        var id = created(api.post(
                        "/v1/budgets",
                        "{\"name\": \"B\", \"owner\": {\"type\": \"team\", \"id\": \"b\"}, \"currency\": \"USD\"}"))
                .get("id")
                .asString();
        created(api.post("/v1/budgets/" + id + "/top-ups", "{\"amount\": 1000}"));

        assertThatThrownBy(() -> jdbc.update("UPDATE budgets.entries SET amount = 5 WHERE wallet_id = ?", id))
                .rootCause()
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.update("DELETE FROM budgets.entries WHERE wallet_id = ?", id))
                .rootCause()
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.update("UPDATE budgets.wallets SET available = -1 WHERE id = ?", id))
                .rootCause()
                .hasMessageContaining("wallets_available_check");

        jdbc.update("UPDATE budgets.wallets SET available = available + 1 WHERE id = ?", id);
        var check = get("/v1/budgets/ledger-check");

        assertThat(check.get("ok").asBoolean()).isFalse();
        assertThat(check.get("violations").get(0).get("budget_id").asString()).isEqualTo(id);
        assertThat(check.get("violations").get(0).get("account").asString()).isEqualTo("available");
        assertThat(check.get("violations").get(0).get("expected").asLong()).isEqualTo(1000);
        jdbc.update("UPDATE budgets.wallets SET available = available - 1 WHERE id = ?", id);
        assertThat(get("/v1/budgets/ledger-check").get("ok").asBoolean()).isTrue();
    }

    private JsonNode get(String path) {
        var response = api.get(path);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private static JsonNode created(TestApi.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json();
    }
}
