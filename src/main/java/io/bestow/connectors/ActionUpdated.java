package io.bestow.connectors;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** An external action's request template changed. */
public record ActionUpdated(EventMeta meta, Action action) implements ProjectEvent {

    @Override
    public String type() {
        return "action.updated";
    }

    @Override
    public Object object() {
        return action;
    }
}
