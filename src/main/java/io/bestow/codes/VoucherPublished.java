package io.bestow.codes;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** A code was handed to a customer. */
public record VoucherPublished(EventMeta meta, Publication publication) implements ProjectEvent {

    @Override
    public String type() {
        return "voucher.published";
    }

    @Override
    public Object object() {
        return publication;
    }
}
