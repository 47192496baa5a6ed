package io.bestow.codes;

import static org.assertj.core.api.Assertions.assertThat;

import io.bestow.BestowTest;
import io.bestow.TestApi;
import io.bestow.identity.IdentityFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Limits, balances and join_once hold when many requests arrive at once. */
@BestowTest
class RedemptionConcurrencyIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    JdbcClient jdbc;

    /** Sends {@code count} requests at once, {@code parallel} at a time, and returns the responses in order. */
    private static List<TestApi.Response> atOnce(int count, int parallel, IntFunction<TestApi.Response> request) {
        var start = new CountDownLatch(1);
        try (var pool = Executors.newFixedThreadPool(parallel)) {
            var futures = new ArrayList<CompletableFuture<TestApi.Response>>();
            for (int i = 0; i < count; i++) {
                int n = i;
                futures.add(CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                start.await();
                            } catch (InterruptedException e) {
                                throw new IllegalStateException(e);
                            }
                            return request.apply(n);
                        },
                        pool));
            }
            start.countDown();
            return futures.stream().map(CompletableFuture::join).toList();
        }
    }

    @Test
    void aSingleUseCodeRedeemedSixtyFourTimesAtOnceSucceedsExactlyOnce() {
        var api = fixtures.tenant(port).api();
        api.post("/v1/vouchers/ONLY-ONCE", """
                {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 500}, "redemption": {"quantity": 1}}
                """);
        var responses = atOnce(64, 64, n -> api.post("/v1/redemptions", """
                {"redeemables": [{"object": "voucher", "id": "ONLY-ONCE"}], "customer": {"source_id": "c-%d"},
                 "order": {"amount": 1000}}
                """.formatted(n)));

        assertThat(responses.stream().filter(r -> r.status() == 200)).hasSize(1);
        var refused = responses.stream().filter(r -> r.status() == 400).toList();
        assertThat(refused).hasSize(63);
        assertThat(refused)
                .allSatisfy(r -> assertThat(r.json().get("key").asString()).isEqualTo("quantity_exceeded"));
        var voucher = api.get("/v1/vouchers/ONLY-ONCE").json();
        assertThat(voucher.get("redemption").get("redeemed_quantity").asInt()).isEqualTo(1);
        assertThat(api.get("/v1/redemptions?result=SUCCESS").json().get("total").asInt())
                .isEqualTo(1);
        assertThat(api.get("/v1/redemptions?result=FAILURE").json().get("total").asInt())
                .isEqualTo(63);
    }

    @Test
    void aGiftCardDrawnFiveHundredTimesAtOnceNeverGoesBelowZero() {
        var api = fixtures.tenant(port).api();
        api.post("/v1/vouchers/CARD-100", "{\"type\": \"GIFT_VOUCHER\", \"gift\": {\"amount\": 10000}}");
        var responses = atOnce(500, 48, n -> api.post("/v1/vouchers/CARD-100/redemption", """
                {"gift": {"credits": 30}, "customer": {"source_id": "g-%d"}}
                """.formatted(n % 20)));

        assertThat(responses)
                .allSatisfy(r -> assertThat(r.status()).as(r.body()).isIn(200, 400));
        long succeeded = responses.stream().filter(r -> r.status() == 200).count();
        // 10000 / 30 = 333 draws fit; the 334th would need 30 with 10 left.
        assertThat(succeeded).isEqualTo(333);
        assertThat(responses.stream().filter(r -> r.status() == 400))
                .allSatisfy(r -> assertThat(r.json().get("key").asString()).isEqualTo("gift_amount_exceeded"));
        var voucher = api.get("/v1/vouchers/CARD-100").json();
        assertThat(voucher.get("gift").get("balance").asLong()).isEqualTo(10000 - succeeded * 30);
        var drawn = jdbc.sql(
                        "SELECT sum(gift_amount) FROM codes.redemptions WHERE code = 'CARD-100' AND status = 'SUCCEEDED'")
                .query(Long.class)
                .single();
        assertThat(drawn).isEqualTo(succeeded * 30);
    }

    @Test
    void parallelJoinOncePublicationsHandOneCode() {
        var api = fixtures.tenant(port).api();
        api.post("/v1/campaigns", """
                {"name": "Friends", "campaign_type": "REFERRAL_PROGRAM", "type": "AUTO_UPDATE",
                 "voucher": {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 1000},
                             "code_config": {"prefix": "REF-", "length": 8}}}
                """);
        var responses = atOnce(24, 24, n -> api.post("/v1/publications", """
                {"campaign": {"name": "Friends"}, "customer": {"source_id": "referrer-1", "email": "r1@example.com"}}
                """));
        assertThat(responses)
                .allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(200));
        var codes = responses.stream()
                .map(r -> r.json().get("voucher").get("code").asString())
                .distinct()
                .toList();
        assertThat(codes).hasSize(1);
        assertThat(codes.getFirst()).startsWith("REF-");
        assertThat(api.get("/v1/publications").json().get("total").asInt()).isEqualTo(1);
        var voucher = api.get("/v1/vouchers/" + codes.getFirst()).json();
        assertThat(voucher.get("is_referral_code").asBoolean()).isTrue();
        assertThat(voucher.get("holder_id").asString())
                .isEqualTo(responses.getFirst().json().get("customer_id").asString());
    }

    @Test
    void aRedemptionRolledBackTwiceAtOnceIsRestoredOnce() {
        var api = fixtures.tenant(port).api();
        api.post("/v1/vouchers/CARD-R", "{\"type\": \"GIFT_VOUCHER\", \"gift\": {\"amount\": 1000}}");
        var id = api.post("/v1/vouchers/CARD-R/redemption", "{\"gift\": {\"credits\": 400}}")
                .json()
                .get("id")
                .asString();
        var responses = atOnce(8, 8, n -> api.post("/v1/redemptions/" + id + "/rollback", "{}"));
        assertThat(responses.stream().filter(r -> r.status() == 200)).hasSize(1);
        assertThat(responses.stream().filter(r -> r.status() == 400))
                .hasSize(7)
                .allSatisfy(r -> assertThat(r.json().get("key").asString()).isEqualTo("already_rolled_back"));
        assertThat(api.get("/v1/vouchers/CARD-R")
                        .json()
                        .get("gift")
                        .get("balance")
                        .asLong())
                .isEqualTo(1000);
    }
}
