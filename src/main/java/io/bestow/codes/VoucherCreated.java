package io.bestow.codes;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** A voucher was created (one by one; generated codes are announced by {@link VouchersGenerated}). */
public record VoucherCreated(EventMeta meta, Voucher voucher) implements ProjectEvent {

    @Override
    public String type() {
        return "voucher.created";
    }

    @Override
    public Object object() {
        return voucher;
    }
}
