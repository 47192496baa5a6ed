package io.bestow.gifts;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** A gift nobody was sent was removed from the catalog. */
public record GiftDeleted(EventMeta meta, Gift gift) implements ProjectEvent {

    @Override
    public String type() {
        return "gift.deleted";
    }

    @Override
    public Object object() {
        return gift;
    }
}
