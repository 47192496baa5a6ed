package io.bestow.identity;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** Published as {@code api_key.revoked}. */
public record ApiKeyRevoked(EventMeta meta, ApiKey key) implements ProjectEvent {

    @Override
    public String type() {
        return "api_key.revoked";
    }

    @Override
    public Object object() {
        return key;
    }
}
