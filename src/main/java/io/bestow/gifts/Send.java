package io.bestow.gifts;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A gift sent to a customer, paid from a budget. {@code funds} says what the budget has of it: {@code none} while
 * pending, then {@code held}, and finally {@code captured}, {@code released} or {@code refunded}.
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

    @JsonProperty("object")
    public String object() {
        return "send";
    }

    Send withStatus(SendStatus next, String nextFunds, Instant now) {
        return new Send(
                id,
                next,
                giftId,
                giftType,
                customerId,
                senderId,
                budgetId,
                campaign,
                message,
                confirmAddress,
                address,
                cost,
                currency,
                nextFunds,
                provider,
                providerReference,
                dispatchedAt,
                dispatchError,
                expiresAt,
                metadata,
                createdAt,
                now);
    }

    Send withExpiry(@Nullable Instant at) {
        return new Send(
                id,
                status,
                giftId,
                giftType,
                customerId,
                senderId,
                budgetId,
                campaign,
                message,
                confirmAddress,
                address,
                cost,
                currency,
                funds,
                provider,
                providerReference,
                dispatchedAt,
                dispatchError,
                at,
                metadata,
                createdAt,
                updatedAt);
    }

    Send withAddress(Map<String, Object> confirmed) {
        return new Send(
                id,
                status,
                giftId,
                giftType,
                customerId,
                senderId,
                budgetId,
                campaign,
                message,
                confirmAddress,
                confirmed,
                cost,
                currency,
                funds,
                provider,
                providerReference,
                dispatchedAt,
                dispatchError,
                expiresAt,
                metadata,
                createdAt,
                updatedAt);
    }

    Send withProviderReference(String reference) {
        return new Send(
                id,
                status,
                giftId,
                giftType,
                customerId,
                senderId,
                budgetId,
                campaign,
                message,
                confirmAddress,
                address,
                cost,
                currency,
                funds,
                provider,
                reference,
                dispatchedAt,
                dispatchError,
                expiresAt,
                metadata,
                createdAt,
                updatedAt);
    }
}
