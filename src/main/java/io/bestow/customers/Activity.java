package io.bestow.customers;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One entry of a customer's timeline: a tracked custom event, and later gifts, redemptions and tasks. */
public record Activity(
        String id, String customerId, String type, @Nullable String name, Map<String, Object> data, Instant createdAt) {

    @JsonProperty("object")
    public String object() {
        return "activity";
    }
}
