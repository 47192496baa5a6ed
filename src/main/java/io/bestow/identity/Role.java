package io.bestow.identity;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.bestow.shared.ApiException;
import java.util.Locale;
import java.util.Map;

/** What a user or API key may do: admins manage keys, users, budgets and links; members use the rest. */
public enum Role {
    ADMIN,
    MEMBER;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Role of(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("role must be admin or member", Map.of("role", "must be admin or member"));
        }
    }
}
