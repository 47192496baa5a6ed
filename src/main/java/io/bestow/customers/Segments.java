package io.bestow.customers;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The segments table and the membership of each segment. */
@Repository
class Segments {

    private final JdbcClient jdbc;

    Segments(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(ProjectId project, Segment segment) {
        jdbc.sql("""
                        INSERT INTO customers.segments (id, project_id, name, filter, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """)
                .params(
                        segment.id(),
                        project.value(),
                        segment.name(),
                        segment.filter(),
                        Timestamp.from(segment.createdAt()),
                        Timestamp.from(segment.updatedAt()))
                .update();
    }

    Optional<Segment> find(ProjectId project, String id) {
        return jdbc.sql(
                        "SELECT id, name, filter, created_at, updated_at FROM customers.segments WHERE project_id = ? AND id = ?")
                .params(project.value(), id)
                .query(Segments::map)
                .optional();
    }

    List<Segment> list(ProjectId project, Paging paging) {
        return paging.select(jdbc, "id, name, filter, created_at, updated_at", "customers.segments", project, "", false)
                .query(Segments::map)
                .list();
    }

    long count(ProjectId project) {
        return jdbc.sql("SELECT count(*) FROM customers.segments WHERE project_id = ?")
                .param(project.value())
                .query(Long.class)
                .single();
    }

    boolean delete(ProjectId project, String id) {
        return jdbc.sql("DELETE FROM customers.segments WHERE project_id = ? AND id = ?")
                        .params(project.value(), id)
                        .update()
                == 1;
    }

    /**
     * Every segment of the project with its filter and which of the given customers it holds now: one round trip,
     * however many customers and segments.
     */
    List<Standing> standings(ProjectId project, List<String> customerIds) {
        var standings = new LinkedHashMap<String, Standing>();
        jdbc.sql("""
                        SELECT s.id, s.name, s.filter, m.customer_id
                        FROM customers.segments s
                        LEFT JOIN customers.segment_members m ON m.segment_id = s.id AND m.customer_id = ANY(?)
                        WHERE s.project_id = ?
                        """)
                .params(customerIds.toArray(String[]::new), project.value())
                .query(rs -> {
                    var id = rs.getString("id");
                    var ref = new SegmentRef(id, rs.getString("name"));
                    var filter = rs.getString("filter");
                    var standing = standings.computeIfAbsent(id, key -> new Standing(ref, filter, new HashSet<>()));
                    var member = rs.getString("customer_id");
                    if (member != null) {
                        standing.members().add(member);
                    }
                });
        return List.copyOf(standings.values());
    }

    /** The segments a customer is in now. */
    List<SegmentRef> ofCustomer(ProjectId project, String customerId) {
        return jdbc.sql("""
                        SELECT s.id, s.name FROM customers.segment_members m JOIN customers.segments s ON s.id = m.segment_id
                        WHERE m.project_id = ? AND m.customer_id = ? ORDER BY s.created_at, s.id
                        """)
                .params(project.value(), customerId)
                .query((rs, n) -> new SegmentRef(rs.getString("id"), rs.getString("name")))
                .list();
    }

    void addMember(ProjectId project, String segmentId, String customerId, Instant at) {
        jdbc.sql("""
                        INSERT INTO customers.segment_members (project_id, segment_id, customer_id, entered_at)
                        VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING
                        """)
                .params(project.value(), segmentId, customerId, Timestamp.from(at))
                .update();
    }

    void removeMember(String segmentId, String customerId) {
        jdbc.sql("DELETE FROM customers.segment_members WHERE segment_id = ? AND customer_id = ?")
                .params(segmentId, customerId)
                .update();
    }

    long countMembers(String segmentId) {
        return jdbc.sql("SELECT count(*) FROM customers.segment_members WHERE segment_id = ?")
                .param(segmentId)
                .query(Long.class)
                .single();
    }

    /** A segment, its filter, and which of the customers asked about are in it now. */
    record Standing(SegmentRef segment, String filter, Set<String> members) {}

    private static Segment map(ResultSet rs, int row) throws SQLException {
        return new Segment(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("filter"),
                "auto-update",
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
