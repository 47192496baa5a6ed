package io.bestow.giftlinks;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** An admin made a gift link. */
public record GiftLinkCreated(EventMeta meta, GiftLink link) implements ProjectEvent {

    @Override
    public String type() {
        return "gift_link.created";
    }

    @Override
    public Object object() {
        return link;
    }
}
