package io.bestow.customers;

import io.bestow.shared.EventMeta;
import io.bestow.shared.Expressions;
import io.bestow.shared.ProjectId;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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

    /** Re-evaluates every segment of the project for this customer and publishes who entered and left. */
    void refresh(ProjectId project, Customer customer) {
        var changes = refreshAll(project, List.of(customer));
        changes.entered().forEach(events::publishEvent);
        changes.left().forEach(events::publishEvent);
    }

    /**
     * Re-evaluates every segment of the project for a batch of customers, inside the caller's transaction, with one
     * read of the segments and their memberships, and returns who entered and who left for the caller to publish.
     */
    Changes refreshAll(ProjectId project, List<Customer> customers) {
        var entered = new ArrayList<CustomerSegmentEntered>();
        var left = new ArrayList<CustomerSegmentLeft>();
        if (customers.isEmpty()) {
            return new Changes(entered, left);
        }
        var standings =
                segments.standings(project, customers.stream().map(Customer::id).toList());
        var now = clock.instant();
        for (var customer : customers) {
            var variables = Map.of(VARIABLE, customer.asVariables());
            for (var standing : standings) {
                boolean matches =
                        expressions.predicate(standing.filter(), VARIABLE).test(variables);
                boolean member = standing.members().contains(customer.id());
                if (matches && !member) {
                    segments.addMember(project, standing.segment().id(), customer.id(), now);
                    entered.add(new CustomerSegmentEntered(EventMeta.of(project, clock), standing.segment(), customer));
                } else if (!matches && member) {
                    segments.removeMember(standing.segment().id(), customer.id());
                    left.add(new CustomerSegmentLeft(EventMeta.of(project, clock), standing.segment(), customer));
                }
            }
        }
        return new Changes(entered, left);
    }

    /** Who entered and who left segments. */
    record Changes(List<CustomerSegmentEntered> entered, List<CustomerSegmentLeft> left) {}
}
