package io.bestow.gifts;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;
import org.jspecify.annotations.Nullable;

/** A send entered a status (its first one included); the public type is {@code send.<status>}. */
public record SendStatusChanged(
        EventMeta meta, Send send, @Nullable SendStatus previous) implements ProjectEvent {

    @Override
    public String type() {
        return "send." + send.status().value();
    }

    @Override
    public Object object() {
        return send;
    }
}
