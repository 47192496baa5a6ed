package io.bestow.gifts;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** A catalog gift changed. */
public record GiftUpdated(EventMeta meta, Gift gift) implements ProjectEvent {

    @Override
    public String type() {
        return "gift.updated";
    }

    @Override
    public Object object() {
        return gift;
    }
}
