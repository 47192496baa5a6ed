package io.bestow.codes;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** A code was redeemed; the data carries the customer, order, voucher, amount and result. */
public record RedemptionSucceeded(EventMeta meta, Redemption redemption) implements ProjectEvent {

    @Override
    public String type() {
        return "redemption.succeeded";
    }

    @Override
    public Object object() {
        return redemption;
    }

    /** Whether the code redeemed is a referral code, the case referral programs listen for. */
    public boolean referral() {
        return redemption.voucher() instanceof Voucher voucher && voucher.isReferralCode();
    }
}
