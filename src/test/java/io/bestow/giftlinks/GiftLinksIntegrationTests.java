package io.bestow.giftlinks;

import static io.bestow.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.bestow.BestowTest;
import io.bestow.TestApi;
import io.bestow.giftlinks.ClaimingGiftLink.Outcome.Kind;
import io.bestow.gifts.GiftFixtures;
import io.bestow.identity.IdentityFixtures;
import io.bestow.identity.Role;
import io.bestow.messaging.MailManagement;
import io.bestow.shared.Ids;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** Gift links: generation, the claim rules, the one-time codes and their limits, pending funds, parallel claims. */
@BestowTest
class GiftLinksIntegrationTests {

    static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");

    @LocalServerPort
    int port;

    @Autowired
    IdentityFixtures identity;

    @Autowired
    ClaimingGiftLink claiming;

    @Autowired
    MailManagement mails;

    @Autowired
    JdbcTemplate jdbc;

    TestApi api;
    ProjectId project;
    GiftFixtures gifts;

    @BeforeEach
    void tenant() {
        var tenant = identity.tenant(port);
        api = tenant.api();
        project = tenant.project();
        gifts = new GiftFixtures(api);
    }

    @Test
    void onlyAdminsMakeLinksWhoseTokensAreStoredHashed() {
        var budget = gifts.budget(10_000);
        var gift = gifts.egift(1000);
        var body = "{\"campaign\": \"Q4\", \"gift_id\": \"%s\", \"budget_id\": \"%s\", \"expires_in_days\": 30}"
                .formatted(gift.get("id").asString(), budget.get("id").asString());

        assertError(identity.keyFor(project, Role.MEMBER, port).post("/v1/gift-links", body), 403, "forbidden");
        var link = GiftFixtures.created(api.post("/v1/gift-links", body));

        assertThat(link.get("id").asString()).startsWith("gl_");
        var token = token(link);
        assertThat(token.length()).isGreaterThanOrEqualTo(43);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM giftlinks.links WHERE token_hash = ? OR token_hash LIKE ?",
                        Long.class,
                        token,
                        "%" + token + "%"))
                .isZero();
        var read = api.get("/v1/gift-links/" + link.get("id").asString()).json();
        assertThat(read.has("url")).isFalse();
        assertThat(read.get("status").asString()).isEqualTo("open");
        assertError(
                api.post("/v1/gift-links", "{\"campaign\": \"Q4\", \"gift_id\": \"gift_nope\", \"budget_id\": \"x\"}"),
                404,
                "not_found");
        assertError(
                api.post(
                        "/v1/gift-links",
                        "{\"gift_id\": \"%s\"}".formatted(gift.get("id").asString())),
                422,
                "invalid_payload");
        assertThat(api.post("/v1/gift-links/" + link.get("id").asString() + "/revoke", "{}")
                        .json()
                        .has("revoked_at"))
                .isTrue();
        assertThatThrownBy(() -> claiming.requestCode(token, "x@example.com", "10.0.0.1"))
                .isInstanceOf(ClaimingGiftLink.Refused.class)
                .hasMessage("revoked");
    }

    @Test
    void claimsAnEGiftOncePerRecipientPerCampaignWithTheEmailedCode() {
        var budget = gifts.budget(10_000);
        var link = link(gifts.egift(1000), budget, "\"multi_use\": true");
        var recipient = recipient();

        var outcome = claim(link, recipient);

        assertThat(outcome.kind()).isEqualTo(Kind.CLAIMED);
        assertThat(outcome.giftCode()).startsWith("sandbox_send_");
        var send = gifts.get("/v1/sends/" + outcome.sendId());
        assertThat(send.get("status").asString()).isEqualTo("claimed");
        assertThat(send.get("origin").asString()).isEqualTo("gift_link");
        assertThat(send.get("ledger")).extracting(e -> e.get("type").asString()).containsExactly("hold", "capture");
        assertThat(mails.mails(project, recipient + "@example.com", "gift_link.gift", Paging.of(10, 1, null)))
                .hasSize(1);
        var timeline = gifts.get("/v1/customers/" + recipient + "/activity?limit=20");
        assertThat(timeline.get("data"))
                .extracting(a -> a.get("name").asString())
                .contains("gift_link.code_sent", "send.clicked", "send.claimed");

        var again = claim(link, recipient);
        assertThat(again.kind()).isEqualTo(Kind.ALREADY_CLAIMED);
        var other = link(gifts.egift(1000), budget, "");
        assertThat(claim(other, recipient).kind()).isEqualTo(Kind.CLAIMED);
        assertThat(gifts.get("/v1/events/feed?types=gift_link.claimed").get("events"))
                .hasSize(2);
    }

    @Test
    void answersAnUnknownAddressLikeAKnownOneButNeverSendsItACode() {
        var link = link(gifts.egift(1000), gifts.budget(10_000), "");
        var hoodieLink = link(gifts.physical(4000, 0), gifts.budget(10_000), "");
        api.post("/v1/customers", """
                {"source_id": "no-country", "first_name": "Ann", "last_name": "Lee", "email": "ann.nc@example.com"}
                """);

        var unknown = claiming.requestCode(token(link), "nobody@example.com", "10.0.0.2");
        var noCountry = claiming.requestCode(token(hoodieLink), "ann.nc@example.com", "10.0.0.2");

        assertThat(unknown).startsWith("ver_");
        assertThat(noCountry).startsWith("ver_");
        assertThat(mails.countMails(project, "nobody@example.com", null)).isZero();
        assertThat(mails.countMails(project, "ann.nc@example.com", null)).isZero();
        assertThat(claiming.verify(token(link), unknown, "123456", "10.0.0.2").kind())
                .isEqualTo(Kind.WRONG_CODE);
        var attempts = api.get("/v1/gift-links/" + hoodieLink.get("id").asString() + "/attempts")
                .json();
        assertThat(attempts.get("attempts").get(0).get("reason").asString()).isEqualTo("missing_recipient_fields");
        assertThat(api.get("/v1/gift-links/" + link.get("id").asString() + "/attempts")
                        .json()
                        .get("attempts")
                        .get(0)
                        .get("reason")
                        .asString())
                .isEqualTo("wrong_code");
    }

    @Test
    void recordsWhyAVerifiedRecipientCannotClaimWithoutSpendingAnything() {
        var budget = gifts.budget(10_000, "\"per_recipient_annual_cap\": 500");
        var link = link(gifts.egift(1000), budget, "");

        var outcome = claim(link, recipient());

        assertThat(outcome.kind()).isEqualTo(Kind.CANNOT_CLAIM);
        assertThat(api.get("/v1/gift-links/" + link.get("id").asString() + "/attempts")
                        .json()
                        .get("attempts")
                        .get(0)
                        .get("reason")
                        .asString())
                .isEqualTo("recipient_cap_exceeded");
        assertThat(gifts.get("/v1/sends").get("total").asInt()).isZero();
        assertThat(gifts.get("/v1/budgets/" + budget.get("id").asString())
                        .get("available")
                        .asLong())
                .isEqualTo(10_000);
    }

    @Test
    void locksAClaimForFifteenMinutesAfterFiveWrongCodes() {
        var link = link(gifts.egift(1000), gifts.budget(10_000), "");
        var recipient = recipient();
        var verification = claiming.requestCode(token(link), recipient + "@example.com", "10.0.0.3");
        var code = code(recipient);
        var wrong = code.equals("000000") ? "111111" : "000000";

        for (int i = 4; i >= 1; i--) {
            var outcome = claiming.verify(token(link), verification, wrong, "10.0.0.3");
            assertThat(outcome.kind()).isEqualTo(Kind.WRONG_CODE);
            assertThat(outcome.triesLeft()).isEqualTo(i);
        }
        assertThat(claiming.verify(token(link), verification, wrong, "10.0.0.3").kind())
                .isEqualTo(Kind.LOCKED);
        assertThat(claiming.verify(token(link), verification, code, "10.0.0.3").kind())
                .isEqualTo(Kind.LOCKED);
        assertThat(gifts.get("/v1/sends").get("total").asInt()).isZero();
    }

    @Test
    void releasesTheHoldOfAPhysicalGiftWhoseAddressIsNeverConfirmedAndRefusesAnExpiredLink() {
        var budget = gifts.budget(10_000);
        var link = link(gifts.physical(4000, 500), budget, "\"hold_days\": 3");
        var recipient = recipient();

        var outcome = claim(link, recipient);

        assertThat(outcome.kind()).isEqualTo(Kind.ADDRESS_NEEDED);
        assertThat(outcome.address()).containsEntry("country", "DE");
        assertThat(gifts.get("/v1/budgets/" + budget.get("id").asString())
                        .get("held")
                        .asLong())
                .isEqualTo(4500);
        jdbc.update("UPDATE gifts.sends SET expires_at = now() - interval '1 second' WHERE id = ?", outcome.sendId());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                        gifts.get("/v1/sends/" + outcome.sendId()).get("status").asString())
                .isEqualTo("expired"));
        assertThat(gifts.get("/v1/budgets/" + budget.get("id").asString())
                        .get("held")
                        .asLong())
                .isZero();
        assertThat(gifts.get("/v1/budgets/" + budget.get("id").asString())
                        .get("available")
                        .asLong())
                .isEqualTo(10_000);

        jdbc.update(
                "UPDATE giftlinks.links SET expires_at = now() - interval '1 second' WHERE id = ?",
                link.get("id").asString());
        assertThatThrownBy(() -> claiming.requestCode(token(link), recipient() + "@example.com", "10.0.0.4"))
                .isInstanceOf(ClaimingGiftLink.Refused.class)
                .hasMessage("expired");
    }

    @Test
    void leavesAClaimPendingWhenTheBudgetIsExhaustedUntilAnAdminApproves() {
        var budget = gifts.budget(500);
        var link = link(gifts.egift(1000), budget, "");
        var recipient = recipient();

        var outcome = claim(link, recipient);

        assertThat(outcome.kind()).isEqualTo(Kind.PENDING);
        assertThat(gifts.get("/v1/sends?status=pending_funds")
                        .get("sends")
                        .get(0)
                        .get("id")
                        .asString())
                .isEqualTo(outcome.sendId());
        GiftFixtures.created(api.post("/v1/budgets/" + budget.get("id").asString() + "/top-ups", "{\"amount\": 1000}"));
        assertThat(api.post("/v1/sends/" + outcome.sendId() + "/approve", "{}").status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                        gifts.get("/v1/sends/" + outcome.sendId()).get("status").asString())
                .isEqualTo("claimed"));
        assertThat(mails.countMails(project, recipient + "@example.com", "gift_link.gift"))
                .isEqualTo(1);
    }

    @Test
    void fundsExactlyTwentyOfFiftyParallelClaimsOnAMultiUseLinkWithABudgetForTwenty() throws Exception {
        var budget = gifts.budget(20_000);
        var link = link(gifts.egift(1000), budget, "\"multi_use\": true");
        var started = new ArrayList<String[]>();
        for (int i = 0; i < 50; i++) {
            var recipient = recipient();
            var verification = claiming.requestCode(token(link), recipient + "@example.com", "10.1.0." + i);
            started.add(new String[] {verification, code(recipient)});
        }
        var tasks = new ArrayList<Callable<ClaimingGiftLink.Outcome>>();
        for (var claim : started) {
            tasks.add(() -> claiming.verify(token(link), claim[0], claim[1], "10.2.0.1" + claim[0].hashCode() % 7));
        }

        List<ClaimingGiftLink.Outcome> outcomes = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(16)) {
            for (var future : pool.invokeAll(tasks)) {
                outcomes.add(future.get());
            }
        }

        assertThat(outcomes.stream().filter(o -> o.kind() == Kind.CLAIMED)).hasSize(20);
        assertThat(outcomes.stream().filter(o -> o.kind() == Kind.PENDING)).hasSize(30);
        var after = gifts.get("/v1/budgets/" + budget.get("id").asString());
        assertThat(after.get("available").asLong()).isZero();
        assertThat(after.get("spent").asLong()).isEqualTo(20_000);
        assertThat(api.get("/v1/gift-links/" + link.get("id").asString())
                        .json()
                        .get("claims")
                        .asInt())
                .isEqualTo(50);
        assertThat(gifts.ledgerCheck().get("ok").asBoolean()).isTrue();
    }

    private ClaimingGiftLink.Outcome claim(JsonNode link, String recipient) {
        var verification = claiming.requestCode(token(link), recipient + "@example.com", "10.0.9.1");
        return claiming.verify(token(link), verification, code(recipient), "10.0.9.1");
    }

    private JsonNode link(JsonNode gift, JsonNode budget, String more) {
        return GiftFixtures.created(api.post("/v1/gift-links", """
                {"campaign": "Campaign %s", "gift_id": "%s", "budget_id": "%s"%s}
                """.formatted(
                        Ids.random(6),
                        gift.get("id").asString(),
                        budget.get("id").asString(),
                        more.isEmpty() ? "" : ", " + more)));
    }

    private String recipient() {
        return gifts.recipient();
    }

    /** The latest one-time code mailed to the recipient. */
    private String code(String recipient) {
        var mail = mails.mails(project, recipient + "@example.com", "gift_link.code", Paging.of(1, 1, null))
                .getFirst();
        var matcher = CODE.matcher(mail.subject());
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }

    static String token(JsonNode link) {
        var url = link.get("url").asString();
        return url.substring(url.lastIndexOf('/') + 1);
    }
}
