package io.bestow.giftlinks;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;
import java.util.Map;

/** A verified recipient claimed a gift link; the data names the link, the customer and the send it made. */
public record GiftLinkClaimed(EventMeta meta, GiftLink link, String customerId, String sendId, String sendStatus)
        implements ProjectEvent {

    @Override
    public String type() {
        return "gift_link.claimed";
    }

    @Override
    public Object object() {
        return Map.of(
                "object",
                "gift_link_claim",
                "gift_link_id",
                link.id(),
                "campaign",
                link.campaign(),
                "customer_id",
                customerId,
                "send_id",
                sendId,
                "send_status",
                sendStatus);
    }
}
