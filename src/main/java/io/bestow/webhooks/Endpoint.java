package io.bestow.webhooks;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.bestow.shared.Secrets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A webhook endpoint: where events of the given types (exact, {@code send.*} or {@code *}) that pass the optional CEL
 * filter are delivered, signed with the endpoint's secret. The API shows the secret masked.
 */
public record Endpoint(
        String id,
        String url,
        @Nullable String description,
        List<String> eventTypes,
        @Nullable String filter,
        Map<String, String> headers,
        boolean enabled,
        @Nullable String disabledReason,
        int maxInFlight,
        @JsonIgnore String signingSecret,
        @JsonIgnore @Nullable String previousSecret,
        @Nullable Instant previousSecretUntil,
        @Nullable Instant failingSince,
        Map<String, Object> metadata,
        Instant createdAt,
        Instant updatedAt) {

    @JsonProperty("object")
    public String object() {
        return "webhook_endpoint";
    }

    @JsonProperty("secret")
    public @Nullable String maskedSecret() {
        return Secrets.mask(signingSecret);
    }

    /** The secrets that sign a delivery now: the current one, and the previous one during its grace period. */
    List<String> signingSecrets(Instant now) {
        return previousSecret != null && previousSecretUntil != null && previousSecretUntil.isAfter(now)
                ? List.of(signingSecret, previousSecret)
                : List.of(signingSecret);
    }

    /** Whether the endpoint subscribes to the event type. */
    boolean receives(String type) {
        return eventTypes.stream()
                .anyMatch(pattern -> pattern.equals("*")
                        || pattern.equals(type)
                        || (pattern.endsWith(".*") && type.startsWith(pattern.substring(0, pattern.length() - 1))));
    }
}
