package io.bestow.customers;

import io.bestow.shared.EventMeta;
import io.bestow.shared.Expressions;
import io.bestow.shared.ProjectId;
import java.time.Clock;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/** Keeps segment membership in step with a customer's fields, and announces who entered and who left. */
@Component
class SegmentMembership {

    static final String VARIABLE = "customer";

    private final Segments segments;
    private final Expressions expressions;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    SegmentMembership(Segments segments, Expressions expressions, ApplicationEventPublisher events, Clock clock) {
        this.segments = segments;
        this.expressions = expressions;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Re-evaluates every segment of the project for a batch of customers, with one read of the segments and one of
     * their memberships, and returns who entered and who left for the caller to publish.
     */
    Changes refreshAll(ProjectId project, java.util.List<Customer> customers) {
        var entered = new java.util.ArrayList<CustomerSegmentEntered>();
        var left = new java.util.ArrayList<CustomerSegmentLeft>();
        var all = segments.all(project);
        if (all.isEmpty() || customers.isEmpty()) {
            return new Changes(entered, left);
        }
        var ids = customers.stream().map(Customer::id).toList();
        var members = segments.memberships(ids);
        var now = clock.instant();
        for (var customer : customers) {
            var variables = Map.of(VARIABLE, customer.asVariables());
            for (var segment : all) {
                boolean matches =
                        expressions.predicate(segment.filter(), VARIABLE).test(variables);
                boolean member = members.contains(segment.id() + "/" + customer.id());
                var ref = new SegmentRef(segment.id(), segment.name());
                if (matches && !member) {
                    segments.addMember(project, segment.id(), customer.id(), now);
                    entered.add(new CustomerSegmentEntered(EventMeta.of(project, clock), ref, customer));
                } else if (!matches && member) {
                    segments.removeMember(segment.id(), customer.id());
                    left.add(new CustomerSegmentLeft(EventMeta.of(project, clock), ref, customer));
                }
            }
        }
        return new Changes(entered, left);
    }

    /** Who entered and who left segments. */
    record Changes(java.util.List<CustomerSegmentEntered> entered, java.util.List<CustomerSegmentLeft> left) {}

    /** Re-evaluates every segment of the project for this customer, inside the caller's transaction. */
    void refresh(ProjectId project, Customer customer) {
        var variables = Map.of(VARIABLE, customer.asVariables());
        for (var standing : segments.standings(project, customer.id())) {
            boolean matches = expressions.predicate(standing.filter(), VARIABLE).test(variables);
            if (matches && !standing.member()) {
                segments.addMember(project, standing.segment().id(), customer.id(), clock.instant());
                events.publishEvent(
                        new CustomerSegmentEntered(EventMeta.of(project, clock), standing.segment(), customer));
            } else if (!matches && standing.member()) {
                segments.removeMember(standing.segment().id(), customer.id());
                events.publishEvent(
                        new CustomerSegmentLeft(EventMeta.of(project, clock), standing.segment(), customer));
            }
        }
    }
}
