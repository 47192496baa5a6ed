package io.bestow.campaigns;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A campaign as the API shows it, shaped like Voucherify's campaign object: {@code campaign_type} is {@code
 * DISCOUNT_COUPONS}, {@code GIFT_VOUCHERS}, {@code REFERRAL_PROGRAM} or {@code PROMOTION}; {@code type} is {@code
 * AUTO_UPDATE} (a publication makes a new code when none is left) or {@code STATIC} (a fixed pool).
 */
public record Campaign(
        String id,
        String name,
        @Nullable String description,
        String campaignType,
        String type,
        VoucherTemplate voucher,
        @Nullable Instant startDate,
        @Nullable Instant expirationDate,
        boolean active,
        boolean joinOnce,
        List<Rule> rules,
        @Nullable Integer redemptionsPerCustomer,
        @Nullable ReferralProgram referralProgram,
        @Nullable String category,
        Map<String, Object> metadata,
        long vouchersCount,
        String vouchersGenerationStatus,
        Instant createdAt,
        Instant updatedAt) {

    public static final List<String> CAMPAIGN_TYPES =
            List.of("DISCOUNT_COUPONS", "GIFT_VOUCHERS", "REFERRAL_PROGRAM", "PROMOTION");
    public static final List<String> TYPES = List.of("AUTO_UPDATE", "STATIC");

    @JsonProperty("object")
    public String object() {
        return "campaign";
    }

    @JsonProperty("creation_status")
    public String creationStatus() {
        return "DONE";
    }

    @JsonProperty("auto_join")
    public boolean autoJoin() {
        return false;
    }
}
