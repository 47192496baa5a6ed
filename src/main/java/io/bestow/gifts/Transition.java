package io.bestow.gifts;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One status change of a send: when, by whom, why, and the provider's event id when a provider reported it. */
public record Transition(
        String id,
        String sendId,
        @Nullable SendStatus from,
        SendStatus to,
        String actor,
        @Nullable String providerEventId,
        @Nullable String reason,
        Map<String, Object> details,
        Instant createdAt) {

    @JsonProperty("object")
    public String object() {
        return "send_transition";
    }
}
