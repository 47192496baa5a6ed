package io.bestow.customers;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** A customer's fields changed. Published as {@code customer.updated}. */
public record CustomerUpdated(EventMeta meta, Customer customer) implements ProjectEvent {

    @Override
    public String type() {
        return "customer.updated";
    }

    @Override
    public Object object() {
        return customer;
    }
}
