package io.bestow.customers;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;
import java.util.Map;

/** A customer's personal data was permanently erased (GDPR); other modules scrub their copies and keep their money records. Published as {@code customer.erased}. */
public record CustomerErased(EventMeta meta, String customerId) implements ProjectEvent {

    @Override
    public String type() {
        return "customer.erased";
    }

    @Override
    public Object object() {
        return Map.of("id", customerId, "object", "customer");
    }
}
