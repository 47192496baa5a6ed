package io.bestow.customers;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A custom event (such as {@code signed_up}) was tracked for a customer. Published as {@code customer.custom_event}. */
public record CustomEventTracked(EventMeta meta, Activity activity, Customer customer) implements ProjectEvent {

    @Override
    public String type() {
        return "customer.custom_event";
    }

    /** The referral code the event carries ({@code "referral": {"code": …}}), if any. */
    public @Nullable String referralCode() {
        return activity.data().get("referral") instanceof Map<?, ?> referral
                        && referral.get("code") instanceof String code
                ? code
                : null;
    }

    @Override
    public Object object() {
        return Map.of("event", activity, "customer", customer);
    }
}
