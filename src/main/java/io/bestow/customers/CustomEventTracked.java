package io.bestow.customers;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;
import java.util.Map;

/** A custom event (such as {@code signed_up}) was tracked for a customer. Published as {@code customer.custom_event}. */
public record CustomEventTracked(EventMeta meta, Activity activity, Customer customer) implements ProjectEvent {

    @Override
    public String type() {
        return "customer.custom_event";
    }

    @Override
    public Object object() {
        return Map.of("event", activity, "customer", customer);
    }
}
