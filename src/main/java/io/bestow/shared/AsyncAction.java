package io.bestow.shared;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A long-running job and how far it got, as {@code GET /v1/async-actions/{id}} shows it (Voucherify's shape). */
public record AsyncAction(
        String id,
        @JsonIgnore ProjectId projectId,
        String type,
        Status status,
        int progress,
        long rowsDone,
        long rowsFailed,
        Map<String, Object> result,
        @Nullable String requestId,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant startedAt,
        @Nullable Instant finishedAt) {

    /** Where a job stands. */
    public enum Status {
        ENQUEUED,
        IN_PROGRESS,
        DONE,
        FAILED
    }

    @JsonProperty("object")
    public String object() {
        return "async_action";
    }

    /** Milliseconds from start to finish (or to now, while it runs). */
    @JsonProperty("processing_time")
    public @Nullable Long processingTime() {
        if (startedAt == null) {
            return null;
        }
        var end = finishedAt == null ? updatedAt : finishedAt;
        return Math.max(0, end.toEpochMilli() - startedAt.toEpochMilli());
    }
}
