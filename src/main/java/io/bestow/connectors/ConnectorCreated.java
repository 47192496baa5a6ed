package io.bestow.connectors;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** A connector was created. */
public record ConnectorCreated(EventMeta meta, Connector connector) implements ProjectEvent {

    @Override
    public String type() {
        return "connector.created";
    }

    @Override
    public Object object() {
        return connector;
    }
}
