package io.bestow.referrals;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** A referee converted a referral. */
public record ReferralConverted(EventMeta meta, Conversion conversion) implements ProjectEvent {

    @Override
    public String type() {
        return "referral.converted";
    }

    @Override
    public Object object() {
        return conversion;
    }
}
