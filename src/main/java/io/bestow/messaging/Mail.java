package io.bestow.messaging;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An e-mail of the outbox: to whom, what, why ({@code purpose}, such as {@code gift_link.code}, and the id of what it
 * is about) and where it is: {@code stored} (no SMTP configured), {@code queued}, {@code sent} or {@code failed}.
 */
public record Mail(
        String id,
        String to,
        String subject,
        String text,
        @Nullable String html,
        String purpose,
        @Nullable String referenceId,
        String status,
        int attempts,
        @Nullable String error,
        Instant createdAt,
        @Nullable Instant sentAt) {

    @JsonProperty("object")
    public String object() {
        return "mail";
    }

    /** A new e-mail to write to the outbox. */
    public record Draft(
            String to,
            String subject,
            String text,
            @Nullable String html,
            String purpose,
            @Nullable String referenceId) {}
}
