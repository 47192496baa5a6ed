package io.bestow.codes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bestow.ApiAssertions;
import io.bestow.BestowTest;
import io.bestow.TestApi;
import io.bestow.identity.IdentityFixtures;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@BestowTest
class RedemptionsIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    IdentityFixtures fixtures;

    private static String discount(String code, String discount, String extra) {
        return "{\"code\": \"" + code + "\", \"type\": \"DISCOUNT_VOUCHER\", \"discount\": " + discount + extra + "}";
    }

    private static String redeem(String customer, long amount, String... codes) {
        var redeemables = new StringBuilder();
        for (var code : codes) {
            redeemables
                    .append(redeemables.isEmpty() ? "" : ", ")
                    .append("{\"object\": \"voucher\", \"id\": \"")
                    .append(code)
                    .append("\"}");
        }
        return "{\"redeemables\": [" + redeemables + "], \"customer\": {\"source_id\": \"" + customer
                + "\", \"email\": \"" + customer + "@example.com\"}, \"order\": {\"amount\": " + amount + "}}";
    }

    @Test
    void redeemsADiscountRecordsItAndRollsItBackOnce() {
        var api = fixtures.tenant(port).api();
        api.post(
                "/v1/vouchers/TEN",
                discount(
                        "TEN",
                        "{\"type\": \"PERCENT\", \"percent_off\": 10, \"amount_limit\": 1500}",
                        ", \"redemption\": {\"quantity\": 2}"));

        var validated =
                api.post("/v1/validations", redeem("crm-1", 20000, "TEN")).json();
        assertThat(validated.get("valid").asBoolean()).isTrue();
        assertThat(validated.get("redeemables").get(0).get("status").asString()).isEqualTo("APPLICABLE");
        assertThat(validated.get("order").get("total_amount").asLong()).isEqualTo(18500);
        assertThat(api.get("/v1/customers").json().get("total").asInt())
                .as("validation writes nothing")
                .isZero();

        var response = api.post("/v1/redemptions", redeem("crm-1", 20000, "TEN"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        var redemption = response.json().get("redemptions").get(0);
        assertThat(redemption.get("id").asString()).startsWith("r_");
        assertThat(redemption.get("result").asString()).isEqualTo("SUCCESS");
        assertThat(redemption.get("amount").asLong()).isEqualTo(1500);
        assertThat(redemption.get("order").get("discount_amount").asLong()).isEqualTo(1500);
        assertThat(redemption.get("customer").get("source_id").asString()).isEqualTo("crm-1");
        assertThat(redemption
                        .get("voucher")
                        .get("redemption")
                        .get("redeemed_quantity")
                        .asInt())
                .isEqualTo(1);
        assertThat(response.json().has("parent_redemption")).isFalse();

        var event = events(api, "redemption.succeeded", 1).get(0);
        var data = event.get("data").get("object");
        assertThat(data.get("customer").get("id").asString())
                .isEqualTo(redemption.get("customer_id").asString());
        assertThat(data.get("voucher").get("code").asString()).isEqualTo("TEN");
        assertThat(data.get("order").get("amount").asLong()).isEqualTo(20000);
        var timeline = api.get("/v1/customers/crm-1/activity").json().get("data");
        assertThat(timeline.get(0).get("name").asString()).isEqualTo("redemption.succeeded");

        var id = redemption.get("id").asString();
        var rollback = api.post("/v1/redemptions/" + id + "/rollback?reason=returned", "{}");
        assertThat(rollback.status()).as(rollback.body()).isEqualTo(200);
        assertThat(rollback.json().get("id").asString()).startsWith("rr_");
        assertThat(rollback.json().get("amount").asLong()).isEqualTo(-1500);
        assertThat(rollback.json()
                        .get("voucher")
                        .get("redemption")
                        .get("redeemed_quantity")
                        .asInt())
                .isZero();
        assertThat(api.get("/v1/redemptions/" + id).json().get("status").asString())
                .isEqualTo("ROLLED_BACK");
        ApiAssertions.assertError(api.post("/v1/redemptions/" + id + "/rollback", "{}"), 400, "already_rolled_back");
        events(api, "redemption.rollback.succeeded", 1);
    }

    @Test
    void refusesEachBadCodeWithItsOwnKeyAndRecordsOnlyTheFailure() {
        var api = fixtures.tenant(port).api();
        api.post(
                "/v1/vouchers/OLD",
                discount(
                        "OLD",
                        "{\"type\": \"AMOUNT\", \"amount_off\": 500}",
                        ", \"expiration_date\": \"2020-01-01T00:00:00Z\""));
        api.post(
                "/v1/vouchers/LATER",
                discount(
                        "LATER",
                        "{\"type\": \"AMOUNT\", \"amount_off\": 500}",
                        ", \"start_date\": \"2999-01-01T00:00:00Z\""));
        api.post(
                "/v1/vouchers/OFF",
                discount("OFF", "{\"type\": \"AMOUNT\", \"amount_off\": 500}", ", \"active\": false"));
        api.post(
                "/v1/vouchers/ONCE",
                discount("ONCE", "{\"type\": \"AMOUNT\", \"amount_off\": 500}", ", \"redemption\": {\"quantity\": 1}"));
        api.post(
                "/v1/vouchers/EUR",
                discount("EUR", "{\"type\": \"AMOUNT\", \"amount_off\": 500}", ", \"currency\": \"EUR\""));
        api.post("/v1/campaigns", """
                {"name": "Big baskets", "campaign_type": "DISCOUNT_COUPONS",
                 "voucher": {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 1000}},
                 "rules": [{"expression": "order.amount >= 10000", "message": "Spend 100.00 or more"}]}
                """);
        api.post("/v1/campaigns/Big%20baskets/vouchers/BIG", "{}");
        assertThat(api.post("/v1/redemptions", redeem("c", 2000, "ONCE")).status())
                .isEqualTo(200);

        assertRefused(api, redeem("c", 2000, "NOPE"), 404, "not_found");
        assertRefused(api, redeem("c", 2000, "OLD"), 400, "voucher_expired");
        assertRefused(api, redeem("c", 2000, "LATER"), 400, "voucher_not_active");
        assertRefused(api, redeem("c", 2000, "OFF"), 400, "voucher_disabled");
        assertRefused(api, redeem("c", 2000, "ONCE"), 400, "quantity_exceeded");
        var rule = assertRefused(api, redeem("c", 2000, "BIG"), 400, "order_rules_violated");
        assertThat(rule.json().get("resource_type").asString()).isEqualTo("redemption");
        assertThat(rule.json().get("resource_id").asString()).startsWith("rf_");
        assertThat(rule.json().get("details").get("error").get("message").asString())
                .isEqualTo("Spend 100.00 or more");
        assertRefused(
                api,
                "{\"redeemables\": [{\"object\": \"voucher\", \"id\": \"BIG\"}], \"order\": {}}",
                400,
                "missing_amount");
        assertRefused(
                api,
                "{\"redeemables\": [{\"object\": \"voucher\", \"id\": \"EUR\"}], \"order\": {\"amount\": 100, \"currency\": \"USD\"}}",
                400,
                "invalid_currency");
        // All or none: a good code next to a bad one is not redeemed either.
        assertRefused(api, redeem("c", 20000, "BIG", "OFF"), 400, "voucher_disabled");
        assertThat(api.get("/v1/vouchers/BIG")
                        .json()
                        .get("redemption")
                        .get("redeemed_quantity")
                        .asInt())
                .isZero();

        var failures = api.get("/v1/redemptions?result=FAILURE&limit=100").json();
        assertThat(failures.get("total").asInt()).isEqualTo(9);
        var first = failures.get("redemptions").get(failures.get("redemptions").size() - 1);
        assertThat(first.get("id").asString()).startsWith("rf_");
        assertThat(first.get("failure_code").asString()).isEqualTo("resource_not_found");
        assertThat(api.get("/v1/redemptions?result=SUCCESS").json().get("total").asInt())
                .isEqualTo(1);
        events(api, "redemption.failed", 9);

        // Malformed requests are refused before anything is recorded.
        ApiAssertions.assertError(
                api.post(
                        "/v1/redemptions",
                        "{\"redeemables\": [{\"object\": \"voucher\", \"id\": \"BIG\"}], \"order\": {\"amount\": -5}}"),
                400,
                "invalid_amount");
        ApiAssertions.assertError(api.post("/v1/redemptions", "{\"redeemables\": []}"), 400, "invalid_payload");
        ApiAssertions.assertError(
                api.post("/v1/redemptions", redeem("c", 100, "BIG", "BIG")), 400, "duplicated_redeemables");
        assertThat(api.get("/v1/redemptions?result=FAILURE").json().get("total").asInt())
                .isEqualTo(9);

        var legacy = api.post("/v1/vouchers/OLD/validate", "{\"order\": {\"amount\": 100}}")
                .json();
        assertThat(legacy.get("valid").asBoolean()).isFalse();
        assertThat(legacy.get("reason").asString()).isEqualTo("voucher expired");
        assertThat(legacy.get("error").get("key").asString()).isEqualTo("voucher_expired");
    }

    /** The events of a type once there are as many as expected; the stream is written after each commit. */
    static JsonNode events(TestApi api, String type, int expected) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> api.get("/v1/events?limit=100&type=" + type)
                                .json()
                                .get("total")
                                .asInt()
                        >= expected);
        var events = api.get("/v1/events?limit=100&type=" + type).json();
        assertThat(events.get("total").asInt()).isEqualTo(expected);
        return events.get("events");
    }

    private static TestApi.Response assertRefused(TestApi api, String body, int status, String key) {
        var response = api.post("/v1/redemptions", body);
        ApiAssertions.assertError(response, status, key);
        var validation = api.post("/v1/validations", body).json();
        assertThat(validation.get("valid").asBoolean()).isFalse();
        assertThat(validation
                        .get("inapplicable_redeemables")
                        .get(0)
                        .get("result")
                        .get("error")
                        .get("key")
                        .asString())
                .isEqualTo(key);
        return response;
    }

    @Test
    void drawsGiftBalancesAndRedeemsSeveralCodesTogetherUnderOneParent() {
        var api = fixtures.tenant(port).api();
        api.post("/v1/vouchers/CARD", "{\"type\": \"GIFT_VOUCHER\", \"gift\": {\"amount\": 5000}}");
        api.post("/v1/vouchers/FIVE", discount("FIVE", "{\"type\": \"AMOUNT\", \"amount_off\": 500}", ""));

        var tooMuch = api.post("/v1/vouchers/CARD/redemption", "{\"gift\": {\"credits\": 6000}}");
        ApiAssertions.assertError(tooMuch, 400, "gift_amount_exceeded");

        var single = api.post(
                "/v1/vouchers/CARD/redemption",
                "{\"gift\": {\"credits\": 1000}, \"customer\": {\"source_id\": \"g1\"}}");
        assertThat(single.status()).as(single.body()).isEqualTo(200);
        assertThat(single.json().get("gift").get("amount").asLong()).isEqualTo(1000);
        assertThat(single.json().get("voucher").get("gift").get("balance").asLong())
                .isEqualTo(4000);

        var stacked = api.post("/v1/redemptions", redeem("g1", 3000, "FIVE", "CARD"));
        assertThat(stacked.status()).as(stacked.body()).isEqualTo(200);
        var body = stacked.json();
        assertThat(body.get("redemptions")).hasSize(2);
        var parent = body.get("parent_redemption").get("id").asString();
        assertThat(body.get("redemptions").get(0).get("redemption").asString()).isEqualTo(parent);
        // The gift pays what the discount left: 3000 - 500.
        assertThat(body.get("redemptions").get(1).get("gift").get("amount").asLong())
                .isEqualTo(2500);
        assertThat(body.get("order").get("total_amount").asLong()).isZero();
        assertThat(api.get("/v1/vouchers/CARD")
                        .json()
                        .get("gift")
                        .get("balance")
                        .asLong())
                .isEqualTo(1500);

        ApiAssertions.assertError(api.post("/v1/redemptions/" + parent + "/rollback", "{}"), 400, "invalid_redemption");
        var child = body.get("redemptions").get(0).get("id").asString();
        ApiAssertions.assertError(
                api.post("/v1/redemptions/" + child + "/rollback", "{}"), 400, "invalid_redemption_parent");
        var rolled = api.post("/v1/redemptions/" + parent + "/rollbacks", "{}");
        assertThat(rolled.status()).as(rolled.body()).isEqualTo(200);
        assertThat(rolled.json().get("rollbacks")).hasSize(2);
        assertThat(api.get("/v1/vouchers/CARD")
                        .json()
                        .get("gift")
                        .get("balance")
                        .asLong())
                .isEqualTo(4000);
        ApiAssertions.assertError(
                api.post("/v1/redemptions/" + parent + "/rollbacks", "{}"), 400, "already_rolled_back");
    }
}
