package io.bestow.giftlinks;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A claim link as the API shows it; its URL (which carries the token) is shown once, when it is made. */
public record GiftLink(
        String id,
        String campaign,
        String giftId,
        String budgetId,
        @Nullable String senderId,
        @Nullable String message,
        boolean multiUse,
        @Nullable Integer maxClaims,
        int claims,
        int holdDays,
        @Nullable Instant expiresAt,
        @Nullable Instant revokedAt,
        String createdBy,
        Instant createdAt,
        Instant updatedAt) {

    @JsonProperty("object")
    public String object() {
        return "gift_link";
    }

    /** Why the link takes no more claims at {@code now}, or null when it does. */
    public @Nullable String closedBecause(Instant now) {
        if (revokedAt != null) {
            return "revoked";
        }
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            return "expired";
        }
        int limit = multiUse ? (maxClaims == null ? Integer.MAX_VALUE : maxClaims) : 1;
        return claims >= limit ? "used_up" : null;
    }
}
