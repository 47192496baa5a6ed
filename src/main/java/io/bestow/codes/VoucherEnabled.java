package io.bestow.codes;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** A voucher was enabled. */
public record VoucherEnabled(EventMeta meta, Voucher voucher) implements ProjectEvent {

    @Override
    public String type() {
        return "voucher.enabled";
    }

    @Override
    public Object object() {
        return voucher;
    }
}
