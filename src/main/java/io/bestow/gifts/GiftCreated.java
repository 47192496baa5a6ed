package io.bestow.gifts;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** A gift was added to the catalog. */
public record GiftCreated(EventMeta meta, Gift gift) implements ProjectEvent {

    @Override
    public String type() {
        return "gift.created";
    }

    @Override
    public Object object() {
        return gift;
    }
}
