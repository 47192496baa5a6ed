package io.bestow.identity;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** Published as {@code user.updated}. */
public record UserUpdated(EventMeta meta, User user) implements ProjectEvent {

    @Override
    public String type() {
        return "user.updated";
    }

    @Override
    public Object object() {
        return user;
    }
}
