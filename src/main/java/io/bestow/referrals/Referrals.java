package io.bestow.referrals;

import io.bestow.campaigns.Campaign;
import io.bestow.campaigns.CampaignManagement;
import io.bestow.campaigns.ReferralProgram;
import io.bestow.codes.Publications;
import io.bestow.codes.RedemptionSucceeded;
import io.bestow.codes.Voucher;
import io.bestow.codes.VoucherManagement;
import io.bestow.customers.CustomEventTracked;
import io.bestow.customers.Customer;
import io.bestow.customers.CustomerManagement;
import io.bestow.shared.ApiException;
import io.bestow.shared.EventMeta;
import io.bestow.shared.Ids;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.bestow.shared.TransactionLocks;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Converts referrals and rewards referrers. A conversion is recorded once per referee and campaign (the database
 * refuses a second), after the redemption or custom event that caused it committed; a referrer referring
 * themselves (the same customer or the same e-mail) converts nothing, and a referrer at the campaign's cap is
 * recorded as converted without a reward.
 */
@Service
public class Referrals {

    private static final Logger log = LoggerFactory.getLogger(Referrals.class);

    private final Conversions conversions;
    private final TransactionLocks locks;
    private final CampaignManagement campaigns;
    private final VoucherManagement vouchers;
    private final Publications publications;
    private final CustomerManagement customers;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Clock clock;

    Referrals(
            Conversions conversions,
            TransactionLocks locks,
            CampaignManagement campaigns,
            VoucherManagement vouchers,
            Publications publications,
            CustomerManagement customers,
            ApplicationEventPublisher events,
            JsonMapper json,
            Clock clock) {
        this.conversions = conversions;
        this.locks = locks;
        this.campaigns = campaigns;
        this.vouchers = vouchers;
        this.publications = publications;
        this.customers = customers;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    /**
     * A referee redeemed a referral code of a campaign that converts on redemption. The condition keeps the outbox
     * from storing a publication for every other redemption.
     */
    @ApplicationModuleListener(condition = "#a0.referral()")
    void on(RedemptionSucceeded succeeded) {
        var redemption = succeeded.redemption();
        if (!(redemption.voucher() instanceof Voucher voucher)
                || !voucher.isReferralCode()
                || voucher.holderId() == null
                || voucher.campaignId() == null
                || redemption.customerId() == null) {
            return;
        }
        var project = succeeded.meta().projectId();
        var campaign = campaigns.campaign(project, voucher.campaignId());
        var program = campaign.referralProgram();
        if (program != null && !program.convertsOnRedemption()) {
            return;
        }
        convert(project, campaign, voucher, redemption.customerId(), "redemption", redemption.id(), null);
    }

    /** A custom event carried a referral code, for a campaign that converts on that event. */
    @ApplicationModuleListener(condition = "#a0.referralCode() != null")
    void on(CustomEventTracked tracked) {
        var code = Objects.requireNonNull(tracked.referralCode());
        var project = tracked.meta().projectId();
        Voucher voucher;
        try {
            voucher = vouchers.voucher(project, code);
        } catch (ApiException unknown) {
            log.info(
                    "Custom event {} names unknown referral code {}",
                    tracked.activity().id(),
                    code);
            return;
        }
        if (!voucher.isReferralCode() || voucher.holderId() == null || voucher.campaignId() == null) {
            return;
        }
        var campaign = campaigns.campaign(project, voucher.campaignId());
        var program = campaign.referralProgram();
        if (program == null
                || program.convertsOnRedemption()
                || program.customEvent() == null
                || !Objects.equals(
                        program.customEvent().name(), tracked.activity().name())) {
            return;
        }
        convert(
                project,
                campaign,
                voucher,
                tracked.customer().id(),
                "custom_event",
                null,
                tracked.activity().name());
    }

    private void convert(
            ProjectId project,
            Campaign campaign,
            Voucher code,
            String refereeId,
            String trigger,
            @Nullable String redemptionId,
            @Nullable String event) {
        var referrerId = Objects.requireNonNull(code.holderId());
        var referee = customers.findCustomer(project, refereeId);
        var referrer = customers.findCustomer(project, referrerId);
        if (referee.isEmpty() || referrer.isEmpty() || selfReferral(referrer.get(), referee.get())) {
            log.info(
                    "Referral code {} used by {} does not convert: self-referral or unknown customer",
                    code.code(),
                    refereeId);
            return;
        }
        var program = campaign.referralProgram();
        // The cap holds under concurrent conversions: one referrer's rewards in a campaign queue here.
        locks.lock("referrer/" + campaign.id() + "/" + referrerId);
        var reward = program == null ? null : program.referrerReward();
        boolean capped = program != null
                && program.maxRewardsPerReferrer() != null
                && conversions.countRewarded(campaign.id(), referrerId) >= program.maxRewardsPerReferrer();
        var conversion = new Conversion(
                Ids.generate("refc"),
                campaign.id(),
                code.code(),
                referrerId,
                refereeId,
                trigger,
                redemptionId,
                event,
                reward != null && !capped,
                null,
                clock.instant());
        if (!conversions.insert(project, conversion)) {
            return;
        }
        var given = reward == null || capped ? null : reward(project, reward, referrer.get());
        var recorded = given == null ? conversion : withReward(conversion, given);
        if (given != null) {
            conversions.recordReward(project, conversion.id(), given);
        }
        events.publishEvent(new ReferralConverted(EventMeta.of(project, clock), recorded));
        customers.recordActivity(
                project,
                referee.get(),
                "referral",
                "referral.converted",
                Map.of("campaign_id", campaign.id(), "code", code.code(), "referrer_id", referrerId));
        if (given != null) {
            events.publishEvent(new CustomerRewarded(EventMeta.of(project, clock), referrerId, recorded));
            customers.recordActivity(project, referrer.get(), "reward", "customer.rewarded", given);
        }
    }

    /** Gives the referrer the reward: a code of the reward campaign, or credit on their gift voucher of it. */
    private Map<String, Object> reward(ProjectId project, ReferralProgram.Reward reward, Customer referrer) {
        var campaign = campaigns.campaign(project, Objects.requireNonNull(reward.campaign()));
        var given = new LinkedHashMap<String, Object>();
        given.put("type", reward.type());
        given.put("campaign_id", campaign.id());
        if ("gift_credit".equals(reward.type())) {
            var card = vouchers.vouchers(project, campaign.id(), referrer.id(), Paging.of(1, 1, null)).stream()
                    .findFirst()
                    .map(Voucher::code)
                    .orElseGet(() -> publish(project, campaign, referrer).code());
            var credited = vouchers.addBalance(project, card, Objects.requireNonNull(reward.amount()));
            given.put("code", credited.code());
            given.put("amount", reward.amount());
        } else {
            var voucher = publish(project, campaign, referrer);
            given.put("code", voucher.code());
        }
        return given;
    }

    private Voucher publish(ProjectId project, Campaign campaign, Customer referrer) {
        var body = json.createObjectNode();
        body.putObject("campaign").put("id", campaign.id());
        body.putObject("customer").put("id", referrer.id());
        body.put("channel", "REFERRAL_REWARD");
        return Objects.requireNonNull(publications.publish(project, body, false).voucher());
    }

    private static boolean selfReferral(Customer referrer, Customer referee) {
        return referrer.id().equals(referee.id())
                || (referrer.email() != null
                        && referrer.email()
                                .equalsIgnoreCase(
                                        Optional.ofNullable(referee.email()).orElse("")));
    }

    private static Conversion withReward(Conversion c, Map<String, Object> reward) {
        return new Conversion(
                c.id(),
                c.campaignId(),
                c.code(),
                c.referrerId(),
                c.refereeId(),
                c.trigger(),
                c.redemptionId(),
                c.event(),
                true,
                reward,
                c.createdAt());
    }

    /** Newest first; filters by campaign (id or name) and referrer. */
    public List<Conversion> conversions(
            ProjectId project, @Nullable String campaign, @Nullable String referrer, Paging paging) {
        return conversions.list(project, campaignId(project, campaign), referrer, paging);
    }

    public long countConversions(ProjectId project, @Nullable String campaign, @Nullable String referrer) {
        return conversions.count(project, campaignId(project, campaign), referrer);
    }

    private @Nullable String campaignId(ProjectId project, @Nullable String campaign) {
        return campaign == null ? null : campaigns.campaign(project, campaign).id();
    }
}
