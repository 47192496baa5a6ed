package io.bestow.webhooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One event on its way to one endpoint: {@code pending} (due at {@code next_attempt_at}), {@code succeeded}, or
 * {@code failed} after its last attempt (or when its endpoint was disabled). Its id is the {@code webhook-id} of every
 * attempt, so a receiver can tell a retry from a new message.
 */
public record Delivery(
        String id,
        String endpointId,
        String eventId,
        String eventType,
        String status,
        int attempts,
        @Nullable Instant nextAttemptAt,
        @Nullable Integer lastStatus,
        @Nullable String lastError,
        Instant createdAt,
        Instant updatedAt,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Attempt> attemptLog) {

    static final String PENDING = "pending";
    static final String SUCCEEDED = "succeeded";
    static final String FAILED = "failed";

    @JsonProperty("object")
    public String object() {
        return "webhook_delivery";
    }

    /** One try: when, what the receiver answered (its body truncated) or why it could not. */
    public record Attempt(
            int attempt,
            Instant startedAt,
            @Nullable Integer statusCode,
            @Nullable String responseBody,
            long durationMs,
            @Nullable String error) {}

    Delivery withAttempts(List<Attempt> attempts) {
        return new Delivery(
                id,
                endpointId,
                eventId,
                eventType,
                status,
                this.attempts,
                nextAttemptAt,
                lastStatus,
                lastError,
                createdAt,
                updatedAt,
                attempts);
    }
}
