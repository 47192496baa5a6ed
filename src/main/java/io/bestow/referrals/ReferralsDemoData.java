package io.bestow.referrals;

import io.bestow.campaigns.CampaignManagement;
import io.bestow.codes.Publications;
import io.bestow.codes.Redemptions;
import io.bestow.shared.DemoData;
import io.bestow.shared.ProjectId;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Demo data of campaigns, codes and referrals: a referral program whose referrers earn thank-you codes, with codes
 * published to ten demo customers, a few redemptions by referees (and the conversions and rewards they cause), and
 * a gift card campaign.
 */
@Component
class ReferralsDemoData implements DemoData {

    static final int REFERRERS = 10;
    static final int REFEREES = 4;

    private final CampaignManagement campaigns;
    private final Publications publications;
    private final Redemptions redemptions;
    private final JsonMapper json;

    ReferralsDemoData(
            CampaignManagement campaigns, Publications publications, Redemptions redemptions, JsonMapper json) {
        this.campaigns = campaigns;
        this.publications = publications;
        this.redemptions = redemptions;
        this.json = json;
    }

    @Override
    public void seed(ProjectId project) {
        campaigns.create(project, json.readTree("""
                {"name": "Thank-you codes", "campaign_type": "DISCOUNT_COUPONS",
                 "description": "What referrers earn for each friend who buys",
                 "voucher": {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 2000},
                             "redemption": {"quantity": 1}, "code_config": {"prefix": "THX-", "length": 8}}}
                """));
        campaigns.create(project, json.readTree("""
                {"name": "Refer a friend", "campaign_type": "REFERRAL_PROGRAM",
                 "description": "Friends get 10 % off their first order; referrers get 20.00 off, up to 5 times",
                 "voucher": {"type": "DISCOUNT_VOUCHER", "discount": {"type": "PERCENT", "percent_off": 10},
                             "code_config": {"pattern": "REF-####-????", "charset": "0123456789"}},
                 "rules": [{"expression": "order.amount >= 2500", "message": "The first order must be 25.00 or more"}],
                 "referral_program": {"conversion_event_type": "redemption", "max_rewards_per_referrer": 5,
                                      "referrer_reward": {"type": "voucher", "campaign": "Thank-you codes"}}}
                """));
        campaigns.create(project, json.readTree("""
                {"name": "Gift cards", "campaign_type": "GIFT_VOUCHERS", "vouchers_count": 50,
                 "voucher": {"type": "GIFT_VOUCHER", "gift": {"amount": 5000}, "currency": "EUR",
                             "code_config": {"prefix": "GIFT-", "length": 10}}}
                """));
        for (int i = 1; i <= REFERRERS; i++) {
            var body = json.createObjectNode();
            body.put("campaign", "Refer a friend");
            body.putObject("customer").put("source_id", "demo-%04d".formatted(i));
            var code = publications.publish(project, body, false).code();
            if (i <= REFEREES) {
                var redemption = json.createObjectNode();
                redemption
                        .putArray("redeemables")
                        .addObject()
                        .put("object", "voucher")
                        .put("id", code);
                redemption.putObject("customer").put("source_id", "demo-%04d".formatted(100 + i));
                redemption.putObject("order").put("amount", 4000 + 1000L * i);
                redemptions.redeem(project, redemption);
            }
        }
    }
}
