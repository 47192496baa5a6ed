package io.bestow.connectors;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** An admin authorized a connector through its OAuth 2.0 provider; its tokens are stored. */
public record ConnectorAuthorized(EventMeta meta, Connector connector) implements ProjectEvent {

    @Override
    public String type() {
        return "connector.authorized";
    }

    @Override
    public Object object() {
        return connector;
    }
}
