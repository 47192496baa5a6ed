package io.bestow.customers;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;
import java.time.Instant;
import java.util.Map;

/** A customer reached a milestone for the first time. Published as {@code customer.milestone.reached}. */
public record MilestoneReached(EventMeta meta, Milestone milestone, Customer customer, Instant reachedAt)
        implements ProjectEvent {

    @Override
    public String type() {
        return "customer.milestone.reached";
    }

    @Override
    public Object object() {
        return Map.of("milestone", milestone, "customer", customer, "reached_at", reachedAt);
    }
}
