package io.bestow.identity;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** Published as {@code user.created}. */
public record UserCreated(EventMeta meta, User user) implements ProjectEvent {

    @Override
    public String type() {
        return "user.created";
    }

    @Override
    public Object object() {
        return user;
    }
}
