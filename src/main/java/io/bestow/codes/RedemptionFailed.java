package io.bestow.codes;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** A redemption was refused; the data carries the reason. */
public record RedemptionFailed(EventMeta meta, Redemption redemption) implements ProjectEvent {

    @Override
    public String type() {
        return "redemption.failed";
    }

    @Override
    public Object object() {
        return redemption;
    }
}
