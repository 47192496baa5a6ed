package io.bestow.webhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.standardwebhooks.Webhook;
import io.bestow.BestowTest;
import io.bestow.TestApi;
import io.bestow.gifts.GiftFixtures;
import io.bestow.identity.IdentityFixtures;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Callbacks from external systems, signed with a connector's inbound secret. */
@BestowTest
class InboundIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    IdentityFixtures fixtures;

    TestApi api;

    @BeforeEach
    void tenant() {
        api = fixtures.tenant(port).api();
    }

    @Test
    void recordsAVerifiedCallbackOnceAndAnswersAReplayWithoutEffect() throws Exception {
        api.post("/v1/customers", "{\"source_id\": \"wallet-ann\", \"email\": \"ann@example.com\"}");
        var connector = api.post("/v1/connectors", """
                {"name": "Wallet", "base_url": "https://wallet.example.com",
                 "inbound": {"rules": [{"when": "body.type == 'offer.redeemed'", "effect": "record_redemption",
                                        "customer": "/customer/source_id", "amount": "/amount", "reference": "/offer_id"}]}}
                """).json();
        var id = connector.get("id").asString();
        assertThat(connector.get("inbound").get("secret").asString()).startsWith("••••");
        var secret = api.get("/v1/connectors/" + id + "/inbound-secret")
                .json()
                .get("secret")
                .asString();
        assertThat(secret).startsWith("whsec_");
        var body = "{\"type\": \"offer.redeemed\", \"offer_id\": \"of_9\", \"amount\": 1500,"
                + " \"customer\": {\"source_id\": \"wallet-ann\"}}";

        var first = signed(id, secret, "msg_wallet_1", body);
        var replay = signed(id, secret, "msg_wallet_1", body);

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().get("duplicate").asBoolean()).isFalse();
        assertThat(first.json().get("effect").asString()).isEqualTo("record_redemption");
        assertThat(first.json().get("result").get("amount").asLong()).isEqualTo(1500);
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.json().get("duplicate").asBoolean()).isTrue();
        var timeline = api.get("/v1/customers/wallet-ann/activity").json();
        assertThat(timeline.toString()).contains("external_redemption").contains("of_9");
        assertThat(timeline.findValues("type").stream()
                        .filter(t -> t.asString().equals("external_redemption"))
                        .count())
                .isEqualTo(1);
        var reconciled = api.get("/v1/events?type=offer.reconciled").json();
        assertThat(reconciled.get("total").asInt()).isEqualTo(1);
        assertThat(reconciled
                        .get("events")
                        .get(0)
                        .get("data")
                        .get("object")
                        .get("reference")
                        .asString())
                .isEqualTo("of_9");

        // An event the rules do not map is stored and acknowledged without effect.
        var other = signed(id, secret, "msg_wallet_2", "{\"type\": \"offer.viewed\"}");
        assertThat(other.status()).isEqualTo(200);
        assertThat(other.json().has("effect")).isFalse();
    }

    @Test
    void refusesUnverifiableCallbacksWithoutEffect() throws Exception {
        var connector = api.post("/v1/connectors", """
                {"name": "Strict", "base_url": "https://wallet.example.com",
                 "inbound": {"rules": [{"effect": "reconcile"}]}}
                """).json();
        var id = connector.get("id").asString();
        var secret = api.get("/v1/connectors/" + id + "/inbound-secret")
                .json()
                .get("secret")
                .asString();
        var body = "{\"type\": \"offer.redeemed\"}";

        var wrongSecret = signed(id, "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]), "m1", body);
        assertThat(wrongSecret.status()).isEqualTo(401);
        assertThat(wrongSecret.json().get("key").asString()).isEqualTo("invalid_signature");

        long old = System.currentTimeMillis() / 1000 - 3_600;
        var stale = TestApi.at(port)
                .with("webhook-id", "m2")
                .with("webhook-timestamp", Long.toString(old))
                .with("webhook-signature", new Webhook(secret).sign("m2", old, body))
                .post("/v1/inbound/" + id, body);
        assertThat(stale.status()).isEqualTo(401);
        assertThat(stale.json().get("message").asString()).contains("tolerance");

        var unsigned = TestApi.at(port).post("/v1/inbound/" + id, body);
        assertThat(unsigned.status()).isEqualTo(401);
        assertThat(TestApi.at(port).post("/v1/inbound/conn_unknown", body).status())
                .isEqualTo(404);
        assertThat(api.get("/v1/events?type=offer.reconciled")
                        .json()
                        .get("total")
                        .asInt())
                .isZero();

        // The same id, now properly signed, is not a duplicate: nothing was stored before.
        assertThat(signed(id, secret, "m1", body).json().get("duplicate").asBoolean())
                .isFalse();
    }

    @Test
    void redeemsACodeFromAnHmacSignedCallbackAndStoresNothingWhenTheEffectFails() throws Exception {
        api.post("/v1/vouchers", """
                {"code": "WALLET-10", "type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 1000}}
                """);
        var connector = api.post("/v1/connectors", """
                {"name": "Wallet HMAC", "base_url": "https://wallet.example.com",
                 "inbound": {"verification": "hmac_sha256", "secret": "shared-wallet-secret",
                             "signature_header": "X-Wallet-Signature", "id_pointer": "/event_id",
                             "rules": [{"when": "body.kind == 'redeemed'", "effect": "redeem_code", "code": "/code",
                                        "customer": "/member", "amount": "/basket"},
                                       {"when": "body.kind == 'visited'", "effect": "record_redemption",
                                        "customer": "/member"}]}}
                """).json();
        var id = connector.get("id").asString();
        var body = "{\"event_id\": \"ev-1\", \"kind\": \"redeemed\", \"code\": \"WALLET-10\", \"member\": \"m-7\","
                + " \"basket\": 5000}";

        var redeemed = TestApi.at(port)
                .with("X-Wallet-Signature", "sha256=" + hmac("shared-wallet-secret", body))
                .post("/v1/inbound/" + id, body);

        assertThat(redeemed.status()).as(redeemed.body()).isEqualTo(200);
        assertThat(redeemed.json().get("effect").asString()).isEqualTo("redeem_code");
        var redemptionId = redeemed.json().get("result").get("redemption_id").asString();
        assertThat(api.get("/v1/redemptions/" + redemptionId)
                        .json()
                        .get("amount")
                        .asLong())
                .isEqualTo(1000);

        var visit = "{\"event_id\": \"ev-2\", \"kind\": \"visited\", \"member\": \"nobody\"}";
        var failed = TestApi.at(port)
                .with("X-Wallet-Signature", hmac("shared-wallet-secret", visit))
                .post("/v1/inbound/" + id, visit);
        assertThat(failed.status()).isEqualTo(422);
        api.post("/v1/customers", "{\"source_id\": \"nobody\"}");
        var retried = TestApi.at(port)
                .with("X-Wallet-Signature", hmac("shared-wallet-secret", visit))
                .post("/v1/inbound/" + id, visit);
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        assertThat(retried.json().get("duplicate").asBoolean()).isFalse();

        var forged = TestApi.at(port)
                .with("X-Wallet-Signature", hmac("another-secret", body))
                .post("/v1/inbound/" + id, body.replace("ev-1", "ev-3"));
        assertThat(forged.status()).isEqualTo(401);
    }

    @Test
    void movesASendWhenTheGiftingProviderCallsBackOnce() throws Exception {
        var provider = new WireMockServer(options().dynamicPort());
        provider.start();
        try {
            provider.stubFor(post("/api/v3/send").willReturn(okJson("{\"send_id\": \"touch-send-1\"}")));
            var gifts = new GiftFixtures(api);
            var send =
                    gifts.sent(gifts.connectorGift("EGIFT", provider.baseUrl()), gifts.budget(5000), gifts.recipient());
            var sendId = send.get("id").asString();
            var connector = api.post("/v1/connectors", """
                    {"name": "Gifting callbacks", "base_url": "https://gifting.example.com",
                     "inbound": {"rules": [
                        {"when": "body.event == 'touch.redeemed'", "effect": "send_status", "send": "/bestow_send_id",
                         "status": "claimed"},
                        {"when": "body.event == 'touch.status'", "effect": "send_status", "send": "/bestow_send_id",
                         "status": "/status"}]}}
                    """).json();
            var id = connector.get("id").asString();
            var secret = api.get("/v1/connectors/" + id + "/inbound-secret")
                    .json()
                    .get("secret")
                    .asString();

            var shipped = signed(
                    id,
                    secret,
                    "msg_touch_0",
                    "{\"event\": \"touch.status\", \"status\": \"shipped\", \"bestow_send_id\": \"" + sendId + "\"}");
            var redeemed = "{\"event\": \"touch.redeemed\", \"bestow_send_id\": \"" + sendId + "\"}";
            var first = signed(id, secret, "msg_touch_1", redeemed);
            var replay = signed(id, secret, "msg_touch_1", redeemed);

            assertThat(shipped.status()).as(shipped.body()).isEqualTo(409);
            assertThat(first.status()).as(first.body()).isEqualTo(200);
            assertThat(first.json().get("result").get("send_status").asString()).isEqualTo("claimed");
            assertThat(replay.json().get("duplicate").asBoolean()).isTrue();
            var after = api.get("/v1/sends/" + sendId).json();
            assertThat(after.get("status").asString()).isEqualTo("claimed");
            assertThat(after.get("ledger"))
                    .extracting(e -> e.get("type").asString())
                    .containsExactly("hold", "capture");
            assertThat(after.get("history").get(1).get("actor").asString()).isEqualTo("connector:" + id);
            assertThat(api.post("/v1/connectors", """
                            {"name": "Bad rule", "base_url": "https://x.example.com",
                             "inbound": {"rules": [{"effect": "send_status", "status": "claimed"}]}}
                            """).status()).isEqualTo(422);
        } finally {
            provider.stop();
        }
    }

    private TestApi.Response signed(String connectorId, String secret, String messageId, String body) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        return TestApi.at(port)
                .with("webhook-id", messageId)
                .with("webhook-timestamp", Long.toString(now))
                .with("webhook-signature", new Webhook(secret).sign(messageId, now, body))
                .post("/v1/inbound/" + connectorId, body);
    }

    private static String hmac(String secret, String body) throws Exception {
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
