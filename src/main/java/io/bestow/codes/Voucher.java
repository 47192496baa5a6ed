package io.bestow.codes;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.bestow.campaigns.Discount;
import io.bestow.campaigns.Gift;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A code as the API shows it, shaped like Voucherify's voucher object. */
public record Voucher(
        String id,
        String code,
        @Nullable String campaign,
        @Nullable String campaignId,
        @Nullable String category,
        String type,
        @Nullable Discount discount,
        @Nullable Gift gift,
        @Nullable String currency,
        @JsonIgnore @Nullable Integer redemptionQuantity,
        @JsonIgnore int redeemedQuantity,
        @JsonIgnore long redeemedAmount,
        @Nullable Instant startDate,
        @Nullable Instant expirationDate,
        boolean active,
        boolean isReferralCode,
        @Nullable String holderId,
        Map<String, Object> metadata,
        @JsonIgnore int publishCount,
        Instant createdAt,
        Instant updatedAt) {

    @JsonProperty("object")
    public String object() {
        return "voucher";
    }

    /** How often the code may be redeemed and has been, as Voucherify nests it. */
    @JsonProperty("redemption")
    public Map<String, Object> redemption() {
        var redemption = new LinkedHashMap<String, Object>();
        redemption.put("quantity", redemptionQuantity);
        redemption.put("redeemed_quantity", redeemedQuantity);
        redemption.put("redeemed_amount", redeemedAmount);
        redemption.put("object", "list");
        redemption.put("url", "/v1/vouchers/" + code + "/redemptions");
        return redemption;
    }

    @JsonProperty("publish")
    public Map<String, Object> publish() {
        return Map.of("object", "list", "count", publishCount, "url", "/v1/vouchers/" + code + "/publications");
    }

    /** The voucher as validation rules see it: {@code voucher.code}, {@code voucher.metadata.…}. */
    Map<String, Object> asVariables() {
        var variables = new LinkedHashMap<String, Object>();
        variables.put("id", id);
        variables.put("code", code);
        variables.put("type", type);
        if (campaignId != null) {
            variables.put("campaign_id", campaignId);
        }
        variables.put("redeemed_quantity", (long) redeemedQuantity);
        if (gift != null && gift.balance() != null) {
            variables.put("balance", gift.balance());
        }
        variables.put("metadata", metadata);
        return variables;
    }

    boolean isGift() {
        return "GIFT_VOUCHER".equals(type);
    }

    /** The voucher after {@link Vouchers#redeem} counted one redemption of it, without reading it again. */
    Voucher redeemed(long amount, long credits, Instant now) {
        var drawn = gift == null || gift.balance() == null
                ? gift
                : new Gift(gift.amount(), gift.balance() - credits, gift.effect());
        return new Voucher(
                id,
                code,
                campaign,
                campaignId,
                category,
                type,
                discount,
                drawn,
                currency,
                redemptionQuantity,
                redeemedQuantity + 1,
                redeemedAmount + amount,
                startDate,
                expirationDate,
                active,
                isReferralCode,
                holderId,
                metadata,
                publishCount,
                createdAt,
                now);
    }

    /** The same voucher with another campaign name shown. */
    Voucher named(@Nullable String campaignName) {
        return new Voucher(
                id,
                code,
                campaignName,
                campaignId,
                category,
                type,
                discount,
                gift,
                currency,
                redemptionQuantity,
                redeemedQuantity,
                redeemedAmount,
                startDate,
                expirationDate,
                active,
                isReferralCode,
                holderId,
                metadata,
                publishCount,
                createdAt,
                updatedAt);
    }
}
