package io.bestow.identity;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** Published as {@code api_key.created}. */
public record ApiKeyCreated(EventMeta meta, ApiKey key) implements ProjectEvent {

    @Override
    public String type() {
        return "api_key.created";
    }

    @Override
    public Object object() {
        return key;
    }
}
