package io.bestow.connectors;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** A connector was deleted. */
public record ConnectorDeleted(EventMeta meta, Connector connector) implements ProjectEvent {

    @Override
    public String type() {
        return "connector.deleted";
    }

    @Override
    public Object object() {
        return connector;
    }
}
