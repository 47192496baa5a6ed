package io.bestow.customers;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A named custom event a project marks as a milestone, such as {@code first_100_emails_sent}. */
public record Milestone(
        String id, String name, String event, @Nullable String description, Instant createdAt) {

    @JsonProperty("object")
    public String object() {
        return "milestone";
    }
}
