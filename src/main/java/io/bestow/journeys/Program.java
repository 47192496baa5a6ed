package io.bestow.journeys;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A program as the API shows it: its draft definition (trigger, participants, start, steps, settings) at the top
 * level, its status ({@code draft} until first published, then {@code active}, {@code paused} or {@code stopped}),
 * the published {@code version}, and whether the draft has changed since.
 */
public record Program(
        String id,
        String name,
        @Nullable String description,
        String status,
        @Nullable Integer version,
        boolean draftChanged,
        @JsonIgnore Map<String, Object> definition,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant publishedAt) {

    public static final String DRAFT = "draft";
    public static final String ACTIVE = "active";
    public static final String PAUSED = "paused";
    public static final String STOPPED = "stopped";

    @JsonProperty("object")
    public String object() {
        return "program";
    }

    @JsonAnyGetter
    public Map<String, Object> fields() {
        return definition;
    }
}
