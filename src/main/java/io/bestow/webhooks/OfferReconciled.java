package io.bestow.webhooks;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;
import java.util.Map;

/** An external system reported an outcome (an offer redeemed in its wallet, say) and Bestow recorded its effect. */
public record OfferReconciled(EventMeta meta, Map<String, Object> reconciliation) implements ProjectEvent {

    @Override
    public String type() {
        return "offer.reconciled";
    }

    @Override
    public Object object() {
        return reconciliation;
    }
}
