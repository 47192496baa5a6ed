package io.bestow.referrals;

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

@BestowTest
class ReferralsIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    IdentityFixtures fixtures;

    private static TestApi.Response redeem(TestApi api, String code, String customer, String email) {
        return api.post("/v1/redemptions", """
                {"redeemables": [{"object": "voucher", "id": "%s"}],
                 "customer": {"source_id": "%s", "email": "%s"}, "order": {"amount": 10000}}
                """.formatted(code, customer, email));
    }

    private static void awaitConversions(TestApi api, int count) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> api.get("/v1/referrals").json().get("total").asInt() == count);
    }

    @Test
    void aRefereeRedeemingTheReferrersCodeConvertsOnceAndRewardsTheReferrerUpToTheCap() {
        var api = fixtures.tenant(port).api();
        api.post("/v1/campaigns", """
                {"name": "Thanks", "campaign_type": "DISCOUNT_COUPONS",
                 "voucher": {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 2000},
                             "code_config": {"prefix": "THX-"}}}
                """);
        var created = api.post("/v1/campaigns", """
                {"name": "Friends", "campaign_type": "REFERRAL_PROGRAM",
                 "voucher": {"type": "DISCOUNT_VOUCHER", "discount": {"type": "PERCENT", "percent_off": 10}},
                 "referral_program": {"conversion_event_type": "redemption", "max_rewards_per_referrer": 2,
                                      "referrer_reward": {"type": "voucher", "campaign": "Thanks"}}}
                """);
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        var code = api.post(
                        "/v1/publications",
                        "{\"campaign\": \"Friends\", \"customer\": {\"source_id\": \"ann\", \"email\": \"ann@example.com\"}}")
                .json()
                .get("voucher")
                .get("code")
                .asString();

        ApiAssertions.assertError(redeem(api, code, "ann", "ann@example.com"), 400, "referrer_not_permitted_to_redeem");
        ApiAssertions.assertError(
                redeem(api, code, "ann-alias", "ANN@example.com"), 400, "referrer_not_permitted_to_redeem");

        var bob = redeem(api, code, "bob", "bob@example.com");
        assertThat(bob.status()).as(bob.body()).isEqualTo(200);
        var redemption = bob.json().get("redemptions").get(0);
        assertThat(redemption.get("order").get("discount_amount").asLong()).isEqualTo(1000);
        assertThat(redemption.get("order").get("referrer_id").asString())
                .isEqualTo(redemption.get("voucher").get("holder_id").asString());
        awaitConversions(api, 1);
        var conversion = api.get("/v1/referrals").json().get("referrals").get(0);
        assertThat(conversion.get("rewarded").asBoolean()).isTrue();
        assertThat(conversion.get("reward").get("code").asString()).startsWith("THX-");
        assertThat(api.get("/v1/vouchers?campaign=Thanks&customer="
                                + conversion.get("referrer_id").asString())
                        .json()
                        .get("total")
                        .asInt())
                .isEqualTo(1);

        ApiAssertions.assertError(redeem(api, code, "bob", "bob@example.com"), 400, "customer_already_referred");

        assertThat(redeem(api, code, "cy", "cy@example.com").status()).isEqualTo(200);
        assertThat(redeem(api, code, "dee", "dee@example.com").status()).isEqualTo(200);
        awaitConversions(api, 3);
        var latest = api.get("/v1/referrals?limit=1").json().get("referrals").get(0);
        assertThat(latest.get("rewarded").asBoolean())
                .as("the third conversion is over the cap")
                .isFalse();
        assertThat(api.get("/v1/vouchers?campaign=Thanks").json().get("total").asInt())
                .isEqualTo(2);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> api.get("/v1/events?type=customer.rewarded")
                                .json()
                                .get("total")
                                .asInt()
                        == 2);
        assertThat(api.get("/v1/events?type=referral.converted")
                        .json()
                        .get("total")
                        .asInt())
                .isEqualTo(3);
        var referrerTimeline = api.get("/v1/customers/ann/activity").json().get("data");
        assertThat(referrerTimeline.get(0).get("name").asString()).isEqualTo("customer.rewarded");
    }

    @Test
    void aCustomEventCarryingTheCodeConvertsAndCreditsTheReferrersGiftCard() {
        var api = fixtures.tenant(port).api();
        api.post("/v1/campaigns", """
                {"name": "Credit", "campaign_type": "GIFT_VOUCHERS",
                 "voucher": {"type": "GIFT_VOUCHER", "gift": {"amount": 100}}}
                """);
        api.post("/v1/campaigns", """
                {"name": "Signups", "campaign_type": "REFERRAL_PROGRAM",
                 "voucher": {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 500}},
                 "referral_program": {"conversion_event_type": "custom_event", "custom_event": {"name": "signed_up"},
                                      "referrer_reward": {"type": "gift_credit", "campaign": "Credit", "amount": 700}}}
                """);
        var code = api.post("/v1/publications", "{\"campaign\": \"Signups\", \"customer\": {\"source_id\": \"eve\"}}")
                .json()
                .get("voucher")
                .get("code")
                .asString();

        var tracked = api.post("/v1/events", """
                {"event": "signed_up", "customer": {"source_id": "finn"}, "referral": {"code": "%s"}}
                """.formatted(code));
        assertThat(tracked.status()).as(tracked.body()).isEqualTo(200);
        api.post(
                "/v1/events",
                "{\"event\": \"signed_up\", \"customer\": {\"source_id\": \"finn\"}, \"referral\": {\"code\": \"" + code
                        + "\"}}");
        awaitConversions(api, 1);
        var conversion = api.get("/v1/referrals").json().get("referrals").get(0);
        assertThat(conversion.get("trigger").asString()).isEqualTo("custom_event");
        var card = conversion.get("reward").get("code").asString();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> api.get("/v1/vouchers/" + card)
                                .json()
                                .get("gift")
                                .get("balance")
                                .asLong()
                        == 800);

        ApiAssertions.assertError(
                api.post(
                        "/v1/events",
                        "{\"event\": \"signed_up\", \"customer\": {\"source_id\": \"finn\"}, \"referral\": \"x\"}"),
                422,
                "invalid_payload");
        ApiAssertions.assertError(api.post("/v1/campaigns", """
                        {"name": "Broken", "campaign_type": "REFERRAL_PROGRAM",
                         "voucher": {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 5}},
                         "referral_program": {"conversion_event_type": "custom_event",
                                              "referrer_reward": {"type": "gift_credit", "campaign": "Credit"}}}
                        """), 422, "invalid_payload");
    }
}
