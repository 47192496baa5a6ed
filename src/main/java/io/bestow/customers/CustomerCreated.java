package io.bestow.customers;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** A customer was created, by the API, an import or a tracked event. Published as {@code customer.created}. */
public record CustomerCreated(EventMeta meta, Customer customer) implements ProjectEvent {

    @Override
    public String type() {
        return "customer.created";
    }

    @Override
    public Object object() {
        return customer;
    }
}
