package io.bestow.codes;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** Credit was added to a gift voucher. */
public record GiftBalanceAdded(EventMeta meta, Voucher voucher, long amount) implements ProjectEvent {

    @Override
    public String type() {
        return "voucher.gift.balance_added";
    }

    @Override
    public Object object() {
        return voucher;
    }
}
