package io.bestow.customers;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** A saved CEL filter over customers; its members are kept up to date as customers change. */
public record Segment(String id, String name, String filter, String type, Instant createdAt, Instant updatedAt) {

    @JsonProperty("object")
    public String object() {
        return "segment";
    }
}
