package io.bestow.codes;

import static org.assertj.core.api.Assertions.assertThat;

import io.bestow.ApiAssertions;
import io.bestow.BestowTest;
import io.bestow.identity.IdentityFixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

@BestowTest
class PublicationsIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    IdentityFixtures fixtures;

    @Test
    void publishesFreeCodesOfAStaticPoolUntilItRunsOut() {
        var api = fixtures.tenant(port).api();
        api.post("/v1/campaigns", """
                {"name": "Pool", "campaign_type": "DISCOUNT_COUPONS", "type": "STATIC",
                 "voucher": {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 100}}}
                """);
        api.post("/v1/campaigns/Pool/vouchers/POOL-1", "{}");
        api.post("/v1/campaigns/Pool/vouchers/POOL-2", "{}");

        var first = api.post(
                "/v1/publications",
                "{\"campaign\": \"Pool\", \"customer\": {\"source_id\": \"a\"}, \"channel\": \"email\", \"source_id\": \"send-1\"}");
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        var publication = first.json();
        assertThat(publication.get("id").asString()).startsWith("pub_");
        assertThat(publication.get("object").asString()).isEqualTo("publication");
        assertThat(publication.get("result").asString()).isEqualTo("SUCCESS");
        assertThat(publication.get("channel").asString()).isEqualTo("email");
        assertThat(publication.get("vouchers_id").get(0).asString())
                .isEqualTo(publication.get("voucher").get("id").asString());
        assertThat(publication.get("voucher").get("publish").get("count").asInt())
                .isEqualTo(1);

        // The same source_id is the same publication.
        var again = api.post(
                "/v1/publications",
                "{\"campaign\": \"Pool\", \"customer\": {\"source_id\": \"a\"}, \"source_id\": \"send-1\"}");
        assertThat(again.json().get("id").asString())
                .isEqualTo(publication.get("id").asString());
        ApiAssertions.assertError(
                api.post(
                        "/v1/publications",
                        "{\"campaign\": \"Pool\", \"customer\": {\"source_id\": \"b\"}, \"source_id\": \"send-1\"}"),
                400,
                "duplicate_source_id");

        var second = api.post(
                        "/v1/publications",
                        "{\"campaign\": {\"name\": \"Pool\"}, \"customer\": {\"source_id\": \"b\"}}")
                .json();
        assertThat(second.get("voucher").get("code").asString())
                .isNotEqualTo(publication.get("voucher").get("code").asString());
        ApiAssertions.assertError(
                api.post("/v1/publications", "{\"campaign\": \"Pool\", \"customer\": {\"source_id\": \"c\"}}"),
                400,
                "no_voucher_suitable_for_publication");
        ApiAssertions.assertError(
                api.post("/v1/publications", "{\"customer\": {\"source_id\": \"c\"}}"), 400, "missing_vouchers");
        ApiAssertions.assertError(
                api.post("/v1/publications", "{\"voucher\": \"POOL-1\", \"customer\": {\"source_id\": \"c\"}}"),
                400,
                "voucher_already_published");

        assertThat(api.get("/v1/publications?campaign=Pool").json().get("total").asInt())
                .isEqualTo(2);
        assertThat(api.get("/v1/vouchers?customer="
                                + publication.get("customer_id").asString())
                        .json()
                        .get("total")
                        .asInt())
                .isEqualTo(1);
        RedemptionsIntegrationTests.events(api, "voucher.published", 2);
        var timeline = api.get("/v1/customers/a/activity").json().get("data");
        assertThat(timeline.get(0).get("type").asString()).isEqualTo("publication");
    }

    @Test
    void joinOnceAsAQueryParameterHandsTheSameCodeAgain() {
        var api = fixtures.tenant(port).api();
        api.post("/v1/campaigns", """
                {"name": "Auto", "campaign_type": "DISCOUNT_COUPONS",
                 "voucher": {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 100}}}
                """);
        var one = api.post(
                        "/v1/publications?join_once=true",
                        "{\"campaign\": \"Auto\", \"customer\": {\"source_id\": \"x\"}}")
                .json();
        var two = api.post(
                        "/v1/publications?join_once=true",
                        "{\"campaign\": \"Auto\", \"customer\": {\"source_id\": \"x\"}}")
                .json();
        assertThat(two.get("voucher").get("code").asString())
                .isEqualTo(one.get("voucher").get("code").asString());
        var other = api.post("/v1/publications", "{\"campaign\": \"Auto\", \"customer\": {\"source_id\": \"x\"}}")
                .json();
        assertThat(other.get("voucher").get("code").asString())
                .isNotEqualTo(one.get("voucher").get("code").asString());
        assertThat(api.get("/v1/campaigns/Auto").json().get("vouchers_count").asInt())
                .isEqualTo(2);
    }
}
