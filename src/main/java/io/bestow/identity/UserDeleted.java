package io.bestow.identity;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** Published as {@code user.deleted}. */
public record UserDeleted(EventMeta meta, User user) implements ProjectEvent {

    @Override
    public String type() {
        return "user.deleted";
    }

    @Override
    public Object object() {
        return user;
    }
}
