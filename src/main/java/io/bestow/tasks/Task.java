package io.bestow.tasks;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A call to action: {@code open} until someone marks it {@code done} or {@code cancelled}. {@code origin} says what
 * made it ({@code api} or {@code program}, then with the program and participant).
 */
public record Task(
        String id,
        String title,
        @Nullable String description,
        @Nullable String customerId,
        @Nullable String assignee,
        @Nullable Instant dueAt,
        String status,
        String origin,
        @Nullable String programId,
        @Nullable String participantId,
        Map<String, Object> metadata,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant closedAt) {

    public static final String OPEN = "open";
    public static final String DONE = "done";
    public static final String CANCELLED = "cancelled";

    @JsonProperty("object")
    public String object() {
        return "task";
    }

    /** A task to create: what it says, for whom, by when, and what made it. */
    public record Draft(
            String title,
            @Nullable String description,
            @Nullable String customerId,
            @Nullable String assignee,
            @Nullable Instant dueAt,
            String origin,
            @Nullable String programId,
            @Nullable String participantId,
            Map<String, Object> metadata) {}
}
