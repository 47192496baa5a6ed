package io.bestow.webhooks;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** An endpoint was disabled because its receiver answered 410 Gone or kept failing for days. */
public record WebhookEndpointDisabled(EventMeta meta, Endpoint endpoint) implements ProjectEvent {

    @Override
    public String type() {
        return "webhook.endpoint.disabled";
    }

    @Override
    public Object object() {
        return endpoint;
    }
}
