package io.bestow.campaigns;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What every code of a campaign is: a {@code DISCOUNT_VOUCHER} with its {@link Discount} or a {@code GIFT_VOUCHER}
 * with its {@link Gift}, the {@link CodeConfig} of its codes and how often each code may be redeemed ({@code
 * redemption.quantity}, unlimited when absent).
 */
public record VoucherTemplate(
        String type,
        @Nullable Discount discount,
        @Nullable Gift gift,
        @Nullable CodeConfig codeConfig,
        @Nullable Redemption redemption,
        @Nullable String currency,
        @Nullable Boolean isReferralCode) {

    public static final List<String> TYPES = List.of("DISCOUNT_VOUCHER", "GIFT_VOUCHER");

    /** How many times each code may be redeemed; {@code null} for no limit. */
    public record Redemption(@Nullable Integer quantity) {}

    public @Nullable Integer redemptionQuantity() {
        return redemption == null ? null : redemption.quantity();
    }

    /** Whether the codes are referral codes: the customer a code is published to is its referrer. */
    public boolean referral() {
        return Boolean.TRUE.equals(isReferralCode);
    }

    public CodeConfig codes() {
        return codeConfig == null ? CodeConfig.defaults() : codeConfig;
    }

    /** Checks the template (or a standalone voucher) and reports problems by field path. */
    public void check(String path, Map<String, String> problems) {
        if (type == null) {
            problems.put(path + ".type", "must be one of " + TYPES);
            return;
        }
        switch (type) {
            case "DISCOUNT_VOUCHER" -> {
                if (discount == null) {
                    problems.put(path + ".discount", "is required for a DISCOUNT_VOUCHER");
                } else {
                    discount.check(path + ".discount", problems);
                }
            }
            case "GIFT_VOUCHER" -> {
                if (gift == null || gift.amount() < 1) {
                    problems.put(path + ".gift.amount", "must be an amount in minor units, 1 or more");
                }
            }
            default -> problems.put(path + ".type", "must be one of " + TYPES);
        }
        if (codeConfig != null) {
            codeConfig.check(path + ".code_config", problems);
        }
        if (redemption != null && redemption.quantity() != null && redemption.quantity() < 1) {
            problems.put(path + ".redemption.quantity", "must be 1 or more, or absent for no limit");
        }
        if (currency != null && !currency.matches("[A-Z]{3}")) {
            problems.put(path + ".currency", "must be an ISO 4217 code such as USD");
        }
    }
}
