package io.bestow.codes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bestow.BestowTest;
import io.bestow.campaigns.CampaignManagement;
import io.bestow.identity.IdentityFixtures;
import io.bestow.shared.AsyncAction;
import io.bestow.shared.AsyncActions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Two generations of one campaign at once, as two nodes would run them, in a code space small enough to collide. */
@BestowTest
class CodeGenerationConcurrencyIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    CampaignManagement campaigns;

    @Autowired
    CodeGeneration generation;

    @Autowired
    AsyncActions actions;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JsonMapper json;

    @Test
    void twoGenerationsAtOnceMakeEveryCodeOnceWithExactCounts() {
        var tenant = fixtures.tenant(port);
        var project = tenant.project();
        // 100,000 possible codes; 2 x 20,000 of them drawn at random collide many times over.
        var campaign = campaigns.create(project, json.readTree("""
                {"name": "Crowded", "campaign_type": "DISCOUNT_COUPONS",
                 "voucher": {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 100},
                             "code_config": {"pattern": "C-#####", "charset": "0123456789"}}}
                """));
        // Enqueued together, so that the scheduler finds both due at once and runs them on two of its threads.
        var both = transaction.execute(status -> new AsyncAction[] {
            generation.start(project, campaign, 20_000), generation.start(project, campaign, 20_000)
        });
        var first = both[0];
        var second = both[1];

        await().atMost(Duration.ofSeconds(60))
                .until(() -> actions.find(first.id()).orElseThrow().status() == AsyncAction.Status.DONE
                        && actions.find(second.id()).orElseThrow().status() == AsyncAction.Status.DONE);

        var one = actions.find(first.id()).orElseThrow();
        var two = actions.find(second.id()).orElseThrow();
        assertThat(one.startedAt()).as("the two generations overlap").isBefore(two.finishedAt());
        assertThat(two.startedAt()).as("the two generations overlap").isBefore(one.finishedAt());
        for (var action : new AsyncAction[] {first, second}) {
            var done = actions.find(action.id()).orElseThrow();
            assertThat(done.status()).isEqualTo(AsyncAction.Status.DONE);
            assertThat(done.rowsDone()).isEqualTo(20_000);
        }
        long codes = jdbc.sql("SELECT count(*) FROM codes.vouchers WHERE campaign_id = ?")
                .param(campaign.id())
                .query(Long.class)
                .single();
        long distinct = jdbc.sql("SELECT count(DISTINCT code) FROM codes.vouchers WHERE campaign_id = ?")
                .param(campaign.id())
                .query(Long.class)
                .single();
        assertThat(codes).isEqualTo(40_000).isEqualTo(distinct);
        assertThat(campaigns.campaign(project, campaign.id()).vouchersCount()).isEqualTo(40_000);
        assertThat(tenant.api()
                        .get("/v1/vouchers?campaign=Crowded")
                        .json()
                        .get("total")
                        .asInt())
                .isEqualTo(40_000);
    }
}
