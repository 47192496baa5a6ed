package io.bestow.gifts;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A gift sent to a customer, paid from a budget. {@code funds} says what the budget has of it: {@code none} while
 * pending, then {@code held}, and finally {@code captured}, {@code released} or {@code refunded}. {@code origin} is
 * {@code api} or {@code gift_link}.
 */
public record Send(
        String id,
        SendStatus status,
        String giftId,
        Gift.Type giftType,
        String customerId,
        @Nullable String senderId,
        String budgetId,
        @Nullable String campaign,
        @Nullable String message,
        boolean confirmAddress,
        @Nullable Map<String, Object> address,
        long cost,
        String currency,
        String funds,
        String provider,
        String origin,
        @Nullable String providerReference,
        @Nullable Instant dispatchedAt,
        @Nullable String dispatchError,
        @Nullable Instant expiresAt,
        Map<String, Object> metadata,
        Instant createdAt,
        Instant updatedAt) {

    public static final String NO_FUNDS = "none";
    public static final String HELD = "held";
    public static final String CAPTURED = "captured";
    public static final String RELEASED = "released";
    public static final String REFUNDED = "refunded";

    /** Made over the API (or by a journey). */
    public static final String FROM_API = "api";
    /** Made when a gift link's recipient verified: they click, claim and confirm the address themselves. */
    public static final String FROM_GIFT_LINK = "gift_link";

    @JsonProperty("object")
    public String object() {
        return "send";
    }

    Send withStatus(SendStatus next, String nextFunds, Instant now) {
        return with(next, nextFunds, address, providerReference, expiresAt, now);
    }

    Send withExpiry(@Nullable Instant at) {
        return with(status, funds, address, providerReference, at, updatedAt);
    }

    Send withAddress(Map<String, Object> confirmed) {
        return with(status, funds, confirmed, providerReference, expiresAt, updatedAt);
    }

    Send withProviderReference(@Nullable String reference) {
        return with(status, funds, address, reference, expiresAt, updatedAt);
    }

    /** The same send with the fields that change over its life replaced. */
    private Send with(
            SendStatus nextStatus,
            String nextFunds,
            @Nullable Map<String, Object> nextAddress,
            @Nullable String nextReference,
            @Nullable Instant nextExpiry,
            Instant nextUpdate) {
        return new Send(
                id,
                nextStatus,
                giftId,
                giftType,
                customerId,
                senderId,
                budgetId,
                campaign,
                message,
                confirmAddress,
                nextAddress,
                cost,
                currency,
                nextFunds,
                provider,
                origin,
                nextReference,
                dispatchedAt,
                dispatchError,
                nextExpiry,
                metadata,
                createdAt,
                nextUpdate);
    }
}
