package io.bestow.giftlinks;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An e-mail entered on a link's page and the one-time code that proves it: {@code code_sent} (or {@code not_sent}
 * for an address that is not a recipient: the page looks the same), then {@code claimed}, {@code pending} or
 * {@code address_needed}, or {@code failed} with a reason.
 */
record Verification(
        String id,
        String linkId,
        String email,
        @Nullable String customerId,
        String codeHash,
        Instant codeExpiresAt,
        int failedAttempts,
        @Nullable Instant lockedUntil,
        String status,
        @Nullable String reason,
        @Nullable String sendId,
        Instant createdAt) {

    Verification with(
            int attempts, @Nullable Instant locked, String nextStatus, @Nullable String why, @Nullable String send) {
        return new Verification(
                id,
                linkId,
                email,
                customerId,
                codeHash,
                codeExpiresAt,
                attempts,
                locked,
                nextStatus,
                why,
                send,
                createdAt);
    }
}
