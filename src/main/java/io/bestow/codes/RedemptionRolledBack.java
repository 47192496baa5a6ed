package io.bestow.codes;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** A redemption was undone: its use, discount and gift credit are back on the voucher. */
public record RedemptionRolledBack(EventMeta meta, Rollback rollback) implements ProjectEvent {

    @Override
    public String type() {
        return "redemption.rollback.succeeded";
    }

    @Override
    public Object object() {
        return rollback;
    }
}
