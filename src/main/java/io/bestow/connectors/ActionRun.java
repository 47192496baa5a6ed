package io.bestow.connectors;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One execution of an external action, over all its attempts: what was sent (secrets masked), what came back, the
 * named outputs of a successful answer, and why it failed otherwise.
 */
public record ActionRun(
        String id,
        String actionId,
        String connectorId,
        String origin,
        String outcome,
        @Nullable String error,
        int attempts,
        @Nullable Integer status,
        Map<String, Object> request,
        @Nullable Map<String, Object> response,
        Map<String, @Nullable Object> outputs,
        long durationMs,
        Instant createdAt) {

    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    @JsonProperty("object")
    public String object() {
        return "action_run";
    }

    public boolean succeeded() {
        return SUCCEEDED.equals(outcome);
    }
}
