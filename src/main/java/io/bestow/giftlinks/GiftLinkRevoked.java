package io.bestow.giftlinks;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** An admin revoked a gift link */
public record GiftLinkRevoked(EventMeta meta, GiftLink link) implements ProjectEvent {

    @Override
    public String type() {
        return "gift_link.revoked";
    }

    @Override
    public Object object() {
        return link;
    }
}
