package io.bestow.campaigns;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How a referral campaign converts and rewards: a referral converts when a referee redeems the referrer's code
 * ({@code conversion_event_type: redemption}, the default) or when a custom event of the given name is tracked with
 * the code ({@code custom_event}); the referrer then gets the {@code referrer_reward}: a code of another campaign
 * ({@code voucher}) or credit on a gift voucher of a gift campaign ({@code gift_credit}), at most {@code
 * max_rewards_per_referrer} times when set.
 */
public record ReferralProgram(
        @Nullable String conversionEventType,
        @Nullable CustomEvent customEvent,
        @Nullable Reward referrerReward,
        @Nullable Integer maxRewardsPerReferrer) {

    public static final List<String> CONVERSION_TYPES = List.of("redemption", "custom_event");
    public static final List<String> REWARD_TYPES = List.of("voucher", "gift_credit");

    /** The custom event that converts a referral. */
    public record CustomEvent(@Nullable String name) {}

    /** What a referrer gets per conversion: a code of {@code campaign}, or {@code amount} of credit on one. */
    public record Reward(
            @Nullable String type,
            @Nullable String campaign,
            @Nullable Long amount) {}

    public boolean convertsOnRedemption() {
        return conversionEventType == null || conversionEventType.equals("redemption");
    }

    void check(Map<String, String> problems) {
        if (conversionEventType != null && !CONVERSION_TYPES.contains(conversionEventType)) {
            problems.put("referral_program.conversion_event_type", "must be one of " + CONVERSION_TYPES);
        }
        if ("custom_event".equals(conversionEventType)
                && (customEvent == null
                        || customEvent.name() == null
                        || customEvent.name().isBlank())) {
            problems.put("referral_program.custom_event.name", "is required when conversions are custom events");
        }
        if (referrerReward != null) {
            if (referrerReward.type() == null || !REWARD_TYPES.contains(referrerReward.type())) {
                problems.put("referral_program.referrer_reward.type", "must be one of " + REWARD_TYPES);
            }
            if (referrerReward.campaign() == null || referrerReward.campaign().isBlank()) {
                problems.put(
                        "referral_program.referrer_reward.campaign", "must name the campaign the reward comes from");
            }
            if ("gift_credit".equals(referrerReward.type())
                    && (referrerReward.amount() == null || referrerReward.amount() < 1)) {
                problems.put("referral_program.referrer_reward.amount", "must be an amount in minor units, 1 or more");
            }
        }
        if (maxRewardsPerReferrer != null && maxRewardsPerReferrer < 1) {
            problems.put("referral_program.max_rewards_per_referrer", "must be 1 or more, or absent for no cap");
        }
    }
}
