package io.bestow.journeys;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A customer's way through one version of a program: where it is ({@code step}), its status ({@code active},
 * {@code waiting}, {@code completed}, {@code failed}, {@code exited}), when it runs next, and (when read alone) its
 * variables and history.
 */
public record Participant(
        String id,
        String programId,
        int version,
        String customerId,
        int entry,
        String status,
        @Nullable String step,
        int attempts,
        @Nullable Instant nextRunAt,
        @Nullable String error,
        Instant enteredAt,
        Instant updatedAt,
        @Nullable Instant finishedAt,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Object> variables,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Map<String, Object>> history) {

    public static final String ACTIVE = "active";
    public static final String WAITING = "waiting";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String EXITED = "exited";

    @JsonProperty("object")
    public String object() {
        return "program_participant";
    }

    Participant with(Map<String, Object> variables, List<Map<String, Object>> history) {
        return new Participant(
                id,
                programId,
                version,
                customerId,
                entry,
                status,
                step,
                attempts,
                nextRunAt,
                error,
                enteredAt,
                updatedAt,
                finishedAt,
                variables,
                history);
    }
}
