package io.bestow.customers;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;
import java.util.Map;

/** An upsert made a customer stop matching a segment's filter. Published as {@code customer.segment.left}. */
public record CustomerSegmentLeft(EventMeta meta, SegmentRef segment, Customer customer) implements ProjectEvent {

    @Override
    public String type() {
        return "customer.segment.left";
    }

    @Override
    public Object object() {
        return Map.of("segment", segment, "customer", customer);
    }
}
