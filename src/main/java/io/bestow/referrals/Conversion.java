package io.bestow.referrals;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A referral that converted: the referee redeemed the referrer's {@code code} ({@code trigger: redemption}) or a
 * custom event carried it ({@code custom_event}); {@code reward} is what the referrer got, absent when the cap was
 * reached or nothing is configured.
 */
public record Conversion(
        String id,
        String campaignId,
        String code,
        String referrerId,
        String refereeId,
        String trigger,
        @Nullable String redemptionId,
        @Nullable String event,
        boolean rewarded,
        @Nullable Map<String, Object> reward,
        Instant createdAt) {

    @JsonProperty("object")
    public String object() {
        return "referral_conversion";
    }
}
