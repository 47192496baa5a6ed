package io.bestow.connectors;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** A connector's settings changed. */
public record ConnectorUpdated(EventMeta meta, Connector connector) implements ProjectEvent {

    @Override
    public String type() {
        return "connector.updated";
    }

    @Override
    public Object object() {
        return connector;
    }
}
