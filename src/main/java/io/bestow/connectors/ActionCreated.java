package io.bestow.connectors;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** An external action was created. */
public record ActionCreated(EventMeta meta, Action action) implements ProjectEvent {

    @Override
    public String type() {
        return "action.created";
    }

    @Override
    public Object object() {
        return action;
    }
}
