package io.bestow.codes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bestow.ApiAssertions;
import io.bestow.BestowTest;
import io.bestow.identity.IdentityFixtures;
import java.time.Duration;
import java.util.HashSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

@BestowTest
class VouchersIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    IdentityFixtures fixtures;

    @Test
    void generatesACampaignsCodesInTheBackgroundFollowingItsPattern() {
        var api = fixtures.tenant(port).api();
        var created = api.post("/v1/campaigns", """
                {"name": "Spring sale", "campaign_type": "DISCOUNT_COUPONS", "vouchers_count": 2500,
                 "voucher": {"type": "DISCOUNT_VOUCHER", "discount": {"type": "PERCENT", "percent_off": 10},
                             "redemption": {"quantity": 1}, "code_config": {"pattern": "SALE-####-??", "charset": "0123456789"}}}
                """);
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        var campaign = created.json();
        assertThat(campaign.get("id").asString()).startsWith("camp_");
        assertThat(campaign.get("object").asString()).isEqualTo("campaign");
        assertThat(campaign.get("type").asString()).isEqualTo("STATIC");
        assertThat(campaign.get("vouchers_generation_status").asString()).isEqualTo("IN_PROGRESS");

        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/v1/campaigns/Spring sale".replace(" ", "%20"))
                .json()
                .get("vouchers_generation_status")
                .asString()
                .equals("DONE"));
        var done = api.get("/v1/campaigns/" + campaign.get("id").asString()).json();
        assertThat(done.get("vouchers_count").asLong()).isEqualTo(2500);

        var page = api.get("/v1/vouchers?campaign=" + campaign.get("id").asString() + "&limit=100")
                .json();
        assertThat(page.get("total").asLong()).isEqualTo(2500);
        var codes = new HashSet<String>();
        for (var voucher : page.get("vouchers")) {
            assertThat(voucher.get("code").asString()).matches("SALE-\\d{4}-[A-Z]{2}");
            assertThat(voucher.get("campaign").asString()).isEqualTo("Spring sale");
            assertThat(voucher.get("redemption").get("quantity").asInt()).isEqualTo(1);
            codes.add(voucher.get("code").asString());
        }
        assertThat(codes).hasSize(100);
        RedemptionsIntegrationTests.events(api, "campaign.vouchers.generation.completed", 1);
    }

    @Test
    void refusesACodeSpaceTooSmallForTheCountAndBadRulesWithTheirPosition() {
        var api = fixtures.tenant(port).api();
        var small = api.post("/v1/campaigns", """
                {"name": "Tiny", "campaign_type": "DISCOUNT_COUPONS", "vouchers_count": 60,
                 "voucher": {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 100},
                             "code_config": {"pattern": "T-#", "charset": "0123456789"}}}
                """);
        ApiAssertions.assertError(small, 422, "invalid_code_config");

        var badRule = api.post("/v1/campaigns", """
                {"name": "Ruled", "campaign_type": "DISCOUNT_COUPONS",
                 "voucher": {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 100}},
                 "rules": [{"expression": "order.amount >= 100"}, {"expression": "customer.metadata.tier == "}]}
                """);
        ApiAssertions.assertError(badRule, 422, "invalid_expression");
        assertThat(badRule.json()
                        .get("details")
                        .get("errors")
                        .get("rules[1]")
                        .get("errors")
                        .get(0)
                        .has("column"))
                .isTrue();

        var missing = api.post("/v1/campaigns", """
                {"name": "Half", "campaign_type": "DISCOUNT_COUPONS", "voucher": {"type": "DISCOUNT_VOUCHER",
                 "discount": {"type": "PERCENT", "percent_off": 140}}}
                """);
        ApiAssertions.assertError(missing, 422, "invalid_payload");
        assertThat(missing.json().get("details").has("voucher.discount.percent_off"))
                .isTrue();
        assertThat(api.get("/v1/campaigns").json().get("total").asInt()).isZero();
    }

    @Test
    void createsReadsUpdatesEnablesAndDeletesStandaloneVouchers() {
        var api = fixtures.tenant(port).api();
        var created = api.post("/v1/vouchers/", """
                {"type": "GIFT_VOUCHER", "gift": {"amount": 10000}, "metadata": {"batch": 1},
                 "code_config": {"prefix": "GIFT-", "length": 6}}
                """);
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        var voucher = created.json();
        var code = voucher.get("code").asString();
        assertThat(code).startsWith("GIFT-").hasSize(11);
        assertThat(voucher.get("gift").get("balance").asLong()).isEqualTo(10000);
        assertThat(!voucher.has("campaign") || voucher.get("campaign").isNull()).isTrue();

        var given = api.post("/v1/vouchers/WELCOME10", """
                {"code": "WELCOME10", "type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 1000}}
                """);
        assertThat(given.json().get("code").asString()).isEqualTo("WELCOME10");
        assertThat(api.get("/v1/vouchers/" + given.json().get("id").asString())
                        .json()
                        .get("code")
                        .asString())
                .isEqualTo("WELCOME10");
        ApiAssertions.assertError(
                api.post(
                        "/v1/vouchers/WELCOME10",
                        "{\"type\": \"DISCOUNT_VOUCHER\", \"discount\": {\"type\": \"AMOUNT\", \"amount_off\": 5}}"),
                409,
                "duplicate_found");

        var updated = api.put(
                        "/v1/vouchers/WELCOME10",
                        "{\"code\": \"WELCOME10\", \"metadata\": {\"a\": 1}, \"redemption\": {\"quantity\": 5}}")
                .json();
        assertThat(updated.get("metadata").get("a").asInt()).isEqualTo(1);
        assertThat(updated.get("redemption").get("quantity").asInt()).isEqualTo(5);
        assertThat(updated.get("discount").get("amount_off").asInt()).isEqualTo(1000);

        assertThat(api.post("/v1/vouchers/WELCOME10/disable", "{}")
                        .json()
                        .get("active")
                        .asBoolean())
                .isFalse();
        assertThat(api.post("/v1/vouchers/WELCOME10/enable", "{}")
                        .json()
                        .get("active")
                        .asBoolean())
                .isTrue();
        RedemptionsIntegrationTests.events(api, "voucher.disabled", 1);

        ApiAssertions.assertError(
                api.post("/v1/vouchers/", "{\"type\": \"DISCOUNT_VOUCHER\", \"discount\": {\"type\": \"AMOUNT\"}}"),
                422,
                "invalid_payload");
        assertThat(api.delete("/v1/vouchers/WELCOME10").status()).isEqualTo(204);
        var gone = api.get("/v1/vouchers/WELCOME10");
        ApiAssertions.assertError(gone, 404, "resource_not_found");
        assertThat(gone.json().get("resource_id").asString()).isEqualTo("WELCOME10");
        assertThat(gone.json().get("resource_type").asString()).isEqualTo("voucher");
        assertThat(api.get("/v1/vouchers").json().get("total").asInt()).isEqualTo(1);
    }

    @Test
    void importsGivenCodesReportingTheOnesThatCannotGoIn() {
        var api = fixtures.tenant(port).api();
        api.post("/v1/campaigns", """
                {"name": "Imported", "campaign_type": "DISCOUNT_COUPONS",
                 "voucher": {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 300}}}
                """);
        api.post(
                "/v1/vouchers/TAKEN",
                "{\"type\": \"DISCOUNT_VOUCHER\", \"discount\": {\"type\": \"AMOUNT\", \"amount_off\": 5}}");
        var response = api.post("/v1/campaigns/Imported/import", """
                [{"code": "IMP-1", "metadata": {"batch": "a"}}, {"code": "TAKEN"}, {"code": "IMP-2", "redemption": {"quantity": 3}},
                 {"metadata": {}}]
                """);
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        var action = api.get("/v1/async-actions/"
                        + response.json().get("async_action_id").asString())
                .json();
        assertThat(action.get("status").asString()).isEqualTo("DONE");
        var result = action.get("result");
        assertThat(result.get("imported").asInt()).isEqualTo(2);
        assertThat(result.get("failed").asInt()).isEqualTo(2);
        assertThat(result.get("errors").get(0).get("index").asInt()).isEqualTo(1);
        assertThat(result.get("errors").get(0).get("key").asString()).isEqualTo("duplicate_found");
        assertThat(result.get("errors").get(1).get("index").asInt()).isEqualTo(3);
        assertThat(api.get("/v1/vouchers/IMP-2").json().get("campaign").asString())
                .isEqualTo("Imported");
        assertThat(api.get("/v1/vouchers/IMP-1")
                        .json()
                        .get("metadata")
                        .get("batch")
                        .asString())
                .isEqualTo("a");
        assertThat(api.get("/v1/campaigns/Imported")
                        .json()
                        .get("vouchers_count")
                        .asInt())
                .isEqualTo(2);

        var standalone = api.post("/v1/vouchers/import", """
                [{"code": "SOLO-1", "type": "GIFT_VOUCHER", "gift": {"amount": 2500}},
                 {"code": "SOLO-2", "type": "DISCOUNT_VOUCHER", "discount": {"type": "PERCENT"}}]
                """);
        var soloAction = api.get("/v1/async-actions/"
                        + standalone.json().get("async_action_id").asString())
                .json();
        assertThat(soloAction.get("result").get("imported").asInt()).isEqualTo(1);
        assertThat(soloAction.get("result").get("errors").get(0).get("key").asString())
                .isEqualTo("invalid_payload");
        assertThat(api.get("/v1/vouchers/SOLO-1")
                        .json()
                        .get("gift")
                        .get("balance")
                        .asLong())
                .isEqualTo(2500);
        ApiAssertions.assertError(api.post("/v1/vouchers/import", "{}"), 400, "invalid_payload");
    }

    @Test
    void anotherProjectSeesNoneOfIt() {
        var one = fixtures.tenant(port).api();
        var other = fixtures.tenant(port).api();
        one.post(
                "/v1/vouchers/MINE",
                "{\"type\": \"DISCOUNT_VOUCHER\", \"discount\": {\"type\": \"AMOUNT\", \"amount_off\": 5}}");
        ApiAssertions.assertError(other.get("/v1/vouchers/MINE"), 404, "resource_not_found");
        assertThat(other.post(
                                "/v1/vouchers/MINE",
                                "{\"type\": \"DISCOUNT_VOUCHER\", \"discount\": {\"type\": \"AMOUNT\", \"amount_off\": 5}}")
                        .status())
                .isEqualTo(200);
    }
}
