package io.bestow.codes;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.bestow.customers.Customer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A code handed to a customer, shaped like Voucherify's publication object. */
public record Publication(
        String id,
        Instant createdAt,
        String customerId,
        @Nullable String trackingId,
        Map<String, Object> metadata,
        String channel,
        @Nullable String sourceId,
        @Nullable Customer customer,
        @Nullable Voucher voucher,
        @JsonIgnore String voucherId,
        @JsonIgnore String code,
        @JsonIgnore @Nullable String campaignId) {

    @JsonProperty("object")
    public String object() {
        return "publication";
    }

    @JsonProperty("result")
    public String result() {
        return "SUCCESS";
    }

    @JsonProperty("vouchers_id")
    public List<String> vouchersId() {
        return List.of(voucherId);
    }

    Publication with(@Nullable Customer customer, @Nullable Voucher voucher) {
        return new Publication(
                id,
                createdAt,
                customerId,
                trackingId,
                metadata,
                channel,
                sourceId,
                customer,
                voucher,
                voucherId,
                code,
                campaignId);
    }
}
