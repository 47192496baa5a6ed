package io.bestow.codes;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.bestow.customers.Customer;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A redemption as the API shows it, shaped like Voucherify's: {@code result} SUCCESS or FAILURE, {@code status}
 * SUCCEEDED, FAILED or ROLLED_BACK; {@code amount} is the discount given or the gift credit drawn. A redemption of
 * several codes at once is a parent ({@code related_object_type: redemption}) whose children name it in {@code
 * redemption}.
 */
public record Redemption(
        String id,
        Instant date,
        @Nullable String customerId,
        @Nullable String trackingId,
        Map<String, Object> metadata,
        long amount,
        @JsonProperty("redemption") @Nullable String parentId,
        String result,
        String status,
        @Nullable String failureCode,
        @Nullable String failureMessage,
        @Nullable Map<String, Object> order,
        @Nullable Customer customer,
        String relatedObjectType,
        @Nullable String relatedObjectId,
        @Nullable Object voucher,
        @JsonIgnore @Nullable String code,
        @JsonIgnore @Nullable String campaignId,
        @JsonIgnore @Nullable Long giftAmount) {

    @JsonProperty("object")
    public String object() {
        return "redemption";
    }

    /** The gift credit drawn, for gift vouchers. */
    @JsonProperty("gift")
    public @Nullable Map<String, Object> gift() {
        return giftAmount == null ? null : Map.of("amount", giftAmount);
    }

    public boolean succeeded() {
        return "SUCCEEDED".equals(status);
    }

    Redemption with(@Nullable Customer customer, @Nullable Object voucher) {
        return new Redemption(
                id,
                date,
                customerId,
                trackingId,
                metadata,
                amount,
                parentId,
                result,
                status,
                failureCode,
                failureMessage,
                order,
                customer,
                relatedObjectType,
                relatedObjectId,
                voucher,
                code,
                campaignId,
                giftAmount);
    }
}
