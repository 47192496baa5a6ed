package io.bestow.codes;

import io.bestow.campaigns.Campaign;
import io.bestow.campaigns.Rule;
import io.bestow.customers.Customer;
import io.bestow.shared.Expressions;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Decides whether a code applies to a customer and an order, and what it gives: the checks of Voucherify in its
 * order (exists, enabled, started, not expired, limit, referrer, per-customer limit, currency, rules, amounts), each
 * refusal with Voucherify's error key where it has one.
 */
@Component
class Eligibility {

    private static final Pattern MENTIONS_ORDER = Pattern.compile("\\border\\b");

    private final Expressions expressions;

    Eligibility(Expressions expressions) {
        this.expressions = expressions;
    }

    /** What a code gives when it applies: a discount on the order, or credit drawn from a gift voucher. */
    record Applied(
            Voucher voucher,
            @Nullable Campaign campaign,
            long discount,
            @Nullable Long credits) {}

    /** Why a code does not apply. */
    static final class Refusal extends RuntimeException {
        final String key;
        final @Nullable String customMessage;
        final int status;

        Refusal(String key, String message, @Nullable String customMessage) {
            this(400, key, message, customMessage);
        }

        Refusal(int status, String key, String message, @Nullable String customMessage) {
            super(message, null, false, false);
            this.status = status;
            this.key = key;
            this.customMessage = customMessage;
        }
    }

    /**
     * Checks one code.
     *
     * @param remaining the order amount left after the codes applied before this one, or null without an amount
     * @param customerRedemptions the customer's successful redemptions counted against the campaign's limit
     * @param holder the customer holding a referral code, for the self-referral check
     */
    Applied check(
            @Nullable Voucher voucher,
            String code,
            @Nullable Campaign campaign,
            @Nullable Customer customer,
            boolean customerGiven,
            Map<String, Object> customerVariables,
            RedemptionRequest.Order order,
            @Nullable Long remaining,
            @Nullable Long credits,
            long customerRedemptions,
            @Nullable Customer holder,
            Instant now) {
        if (voucher == null) {
            throw new Refusal(404, "not_found", "Cannot find voucher with id " + code, null);
        }
        if (!voucher.active() || (campaign != null && !campaign.active())) {
            throw new Refusal("voucher_disabled", "voucher is disabled", null);
        }
        var start = voucher.startDate() != null ? voucher.startDate() : campaign == null ? null : campaign.startDate();
        if (start != null && now.isBefore(start)) {
            throw new Refusal("voucher_not_active", "voucher not active yet", null);
        }
        var expiration = voucher.expirationDate() != null
                ? voucher.expirationDate()
                : campaign == null ? null : campaign.expirationDate();
        if (expiration != null && !now.isBefore(expiration)) {
            throw new Refusal("voucher_expired", "voucher expired", null);
        }
        if (voucher.redemptionQuantity() != null && voucher.redeemedQuantity() >= voucher.redemptionQuantity()) {
            throw new Refusal("quantity_exceeded", "quantity exceeded", null);
        }
        if (voucher.isReferralCode()) {
            if (!customerGiven) {
                throw new Refusal("missing_customer", "a customer is required to redeem a referral code", null);
            }
            var email = customerVariables.get("email") instanceof String text ? text : "";
            if ((customer != null && customer.id().equals(voucher.holderId()))
                    || (holder != null
                            && holder.email() != null
                            && holder.email().equalsIgnoreCase(email))) {
                throw new Refusal("referrer_not_permitted_to_redeem", "voucher cannot be redeemed by referrer", null);
            }
            if (customerRedemptions > 0) {
                throw new Refusal(
                        "customer_already_referred", "customer has already been referred in this campaign", null);
            }
        }
        var perCustomer = campaign == null ? null : campaign.redemptionsPerCustomer();
        if (perCustomer != null) {
            if (!customerGiven) {
                throw new Refusal(
                        "missing_customer",
                        "a customer is required: the campaign limits redemptions per customer",
                        null);
            }
            if (customerRedemptions >= perCustomer) {
                throw new Refusal(
                        "customer_quantity_exceeded",
                        "customer has reached the campaign's redemptions per customer",
                        null);
            }
        }
        if (voucher.currency() != null
                && order.currency() != null
                && !voucher.currency().equals(order.currency())) {
            throw new Refusal(
                    "invalid_currency",
                    "order currency " + order.currency() + " is not the voucher's " + voucher.currency(),
                    null);
        }
        if (voucher.isGift() ? credits == null && remaining == null : remaining == null) {
            throw new Refusal("missing_amount", "Amount is required when redeeming a " + voucher.type(), null);
        }
        if (campaign != null && !campaign.rules().isEmpty()) {
            var variables = Map.<String, Object>of(
                    "customer", customerVariables, "order", order.asVariables(), "voucher", voucher.asVariables());
            for (var rule : campaign.rules()) {
                if (!expressions.predicate(rule.expression(), Rule.VARIABLES).test(variables)) {
                    boolean aboutOrder =
                            MENTIONS_ORDER.matcher(rule.expression()).find();
                    throw new Refusal(
                            aboutOrder ? "order_rules_violated" : "customer_rules_violated",
                            aboutOrder
                                    ? "order does not match validation rules"
                                    : "customer does not match validation rules",
                            rule.message());
                }
            }
        }
        if (voucher.isGift()) {
            long balance = voucher.gift() == null || voucher.gift().balance() == null
                    ? 0
                    : voucher.gift().balance();
            if ((credits != null && credits > balance) || balance == 0) {
                throw new Refusal("gift_amount_exceeded", "gift amount exceeded", null);
            }
            long drawn = credits != null ? credits : balance;
            if (remaining != null) {
                drawn = Math.min(drawn, remaining);
            }
            return new Applied(voucher, campaign, drawn, drawn);
        }
        var discount = Objects.requireNonNull(voucher.discount());
        long[] units = discount.unitType() == null ? new long[] {0, 0} : order.units(discount.unitType());
        return new Applied(
                voucher, campaign, discount.amountFor(Objects.requireNonNull(remaining), units[0], units[1]), null);
    }
}
