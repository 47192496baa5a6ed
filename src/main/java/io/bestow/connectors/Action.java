package io.bestow.connectors;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An external action: a templated HTTP request through a connector. The URL, header and query values and the body
 * are Liquid templates over the call's variables; {@code outputs} name values of the response (by JSON pointer or
 * JSONPath) that later steps can use.
 */
public record Action(
        String id,
        String name,
        @Nullable String description,
        String connectorId,
        String method,
        String url,
        Map<String, String> headers,
        Map<String, String> query,
        @Nullable String body,
        Map<String, String> outputs,
        int timeoutMs,
        Retry retry,
        @Nullable String idempotencyHeader,
        Map<String, Object> sample,
        Instant createdAt,
        Instant updatedAt) {

    @JsonProperty("object")
    public String object() {
        return "action";
    }

    /**
     * When to try again: network errors, timeouts, 429 and 5xx answers, up to {@code maxAttempts} attempts in all,
     * after {@code Retry-After} when the answer gives one (up to {@code maxRetryAfterMs}), else after an exponential
     * backoff with jitter from {@code initialBackoffMs} up to {@code maxBackoffMs}.
     */
    public record Retry(int maxAttempts, long initialBackoffMs, long maxBackoffMs, long maxRetryAfterMs) {
        static final Retry DEFAULT = new Retry(3, 500, 10_000, 60_000);
    }
}
