package io.bestow.codes;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** A voucher was disabled. */
public record VoucherDisabled(EventMeta meta, Voucher voucher) implements ProjectEvent {

    @Override
    public String type() {
        return "voucher.disabled";
    }

    @Override
    public Object object() {
        return voucher;
    }
}
