package io.bestow.customers;

import io.bestow.shared.ApiException;
import io.bestow.shared.Expressions;
import io.bestow.shared.Ids;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Segments: saved CEL filters over customers whose membership follows every change of a customer. */
@Service
public class SegmentManagement {

    private final Segments segments;
    private final Customers customers;
    private final Expressions expressions;
    private final Clock clock;

    SegmentManagement(Segments segments, Customers customers, Expressions expressions, Clock clock) {
        this.segments = segments;
        this.customers = customers;
        this.expressions = expressions;
        this.clock = clock;
    }

    /**
     * Saves a segment after compiling its filter (a bad filter gets 422 with the line and column of the problem)
     * and fills it with the customers that match now. Filling it announces no entries: only later changes do.
     */
    @Transactional
    public Segment create(ProjectId project, String name, String filter) {
        var predicate = expressions.predicate(filter, SegmentMembership.VARIABLE);
        var now = clock.instant();
        var segment = new Segment(Ids.generate("seg"), name, filter, "auto-update", now, now);
        segments.insert(project, segment);
        customers.forEach(project, CustomerQuery.ALL, customer -> {
            if (predicate.test(Map.of(SegmentMembership.VARIABLE, customer.asVariables()))) {
                segments.addMember(project, segment.id(), customer.id(), now);
            }
        });
        return segment;
    }

    public Segment segment(ProjectId project, String id) {
        return segments.find(project, id).orElseThrow(() -> ApiException.notFound("segment", id));
    }

    public List<Segment> segments(ProjectId project, Paging paging) {
        return segments.list(project, paging);
    }

    public long countSegments(ProjectId project) {
        return segments.count(project);
    }

    /** How many customers the segment holds now. */
    public long size(ProjectId project, String id) {
        return segments.countMembers(segment(project, id).id());
    }

    /** The segments a customer is in now. */
    public List<SegmentRef> segmentsOf(ProjectId project, Customer customer) {
        return segments.ofCustomer(project, customer.id());
    }

    @Transactional
    public void delete(ProjectId project, String id) {
        if (!segments.delete(project, id)) {
            throw ApiException.notFound("segment", id);
        }
    }
}
