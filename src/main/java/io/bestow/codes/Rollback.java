package io.bestow.codes;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.bestow.customers.Customer;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The undoing of a redemption, shaped like Voucherify's {@code redemption_rollback}: {@code amount} is the negative
 * of what the redemption gave, {@code redemption} its id.
 */
public record Rollback(
        String id,
        Instant date,
        @Nullable String customerId,
        @Nullable String trackingId,
        Map<String, Object> metadata,
        long amount,
        @JsonProperty("redemption") String redemptionId,
        @Nullable String reason,
        @Nullable Map<String, Object> order,
        @Nullable Customer customer,
        String relatedObjectType,
        @Nullable String relatedObjectId,
        @Nullable Object voucher,
        @JsonIgnore @Nullable Long giftAmount) {

    @JsonProperty("object")
    public String object() {
        return "redemption_rollback";
    }

    @JsonProperty("result")
    public String result() {
        return "SUCCESS";
    }

    @JsonProperty("status")
    public String status() {
        return "SUCCEEDED";
    }

    @JsonProperty("gift")
    public @Nullable Map<String, Object> gift() {
        return giftAmount == null ? null : Map.of("amount", giftAmount);
    }
}
