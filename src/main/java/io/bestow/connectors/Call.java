package io.bestow.connectors;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One attempt of a call as the call log keeps it: secrets masked, the response body truncated. */
public record Call(
        String id,
        String executionId,
        String actionId,
        String connectorId,
        String origin,
        int attempt,
        String outcome,
        @Nullable Integer status,
        @Nullable String error,
        Map<String, Object> request,
        @Nullable Map<String, Object> response,
        @Nullable Map<String, Object> outputs,
        long durationMs,
        Instant createdAt) {

    @JsonProperty("object")
    public String object() {
        return "call";
    }
}
