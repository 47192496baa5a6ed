package io.bestow.customers;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** A customer was deleted; its timeline, memberships and milestones went with it. Published as {@code customer.deleted}. */
public record CustomerDeleted(EventMeta meta, Customer customer) implements ProjectEvent {

    @Override
    public String type() {
        return "customer.deleted";
    }

    @Override
    public Object object() {
        return customer;
    }
}
