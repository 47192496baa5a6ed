package io.bestow.codes;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** A voucher was deleted. */
public record VoucherDeleted(EventMeta meta, Voucher voucher) implements ProjectEvent {

    @Override
    public String type() {
        return "voucher.deleted";
    }

    @Override
    public Object object() {
        return voucher;
    }
}
