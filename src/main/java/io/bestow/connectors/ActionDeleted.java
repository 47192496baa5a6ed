package io.bestow.connectors;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** An external action was deleted. */
public record ActionDeleted(EventMeta meta, Action action) implements ProjectEvent {

    @Override
    public String type() {
        return "action.deleted";
    }

    @Override
    public Object object() {
        return action;
    }
}
