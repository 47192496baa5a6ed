package io.bestow.customers;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;
import java.util.Map;

/**
 * A customer as the API returns it: the profile plus the summary, loyalty and referral sections Voucherify's
 * customer object always carries (zero until the codes and referrals modules record activity).
 */
record CustomerView(
        @JsonUnwrapped Customer customer,
        Map<String, Object> summary,
        Map<String, Object> loyalty,
        Map<String, Object> referrals,
        Map<String, Object> systemMetadata) {

    private static final Map<String, Object> SUMMARY = Map.of(
            "redemptions",
            Map.of(
                    "total_redeemed", 0,
                    "total_failed", 0,
                    "total_succeeded", 0,
                    "total_rolled_back", 0,
                    "total_rollback_failed", 0,
                    "total_rollback_succeeded", 0,
                    "gift", Map.of("redeemed_amount", 0, "amount_to_go", 0),
                    "loyalty_card", Map.of("redeemed_points", 0, "points_to_go", 0)),
            "orders",
            Map.of("total_amount", 0, "total_count", 0, "average_amount", 0, "last_order_amount", 0));
    private static final Map<String, Object> LOYALTY =
            Map.of("points", 0, "referred_customers", 0, "campaigns", Map.of());
    private static final Map<String, Object> REFERRALS = Map.of("total", 0, "campaigns", List.of());

    static CustomerView of(Customer customer) {
        return new CustomerView(customer, SUMMARY, LOYALTY, REFERRALS, Map.of());
    }
}
