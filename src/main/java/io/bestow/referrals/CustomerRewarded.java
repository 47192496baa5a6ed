package io.bestow.referrals;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;
import java.util.Map;

/** A referrer got their reward for a conversion. */
public record CustomerRewarded(EventMeta meta, String customerId, Conversion conversion) implements ProjectEvent {

    @Override
    public String type() {
        return "customer.rewarded";
    }

    @Override
    public Object object() {
        return Map.of(
                "customer",
                Map.of("id", customerId, "object", "customer"),
                "reward",
                conversion.reward() == null ? Map.of() : conversion.reward(),
                "referral",
                conversion);
    }
}
