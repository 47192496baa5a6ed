package io.bestow.webhooks;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Deliveries and their attempts: claimed with row locks, acknowledged only under the claim that sent them. */
@Repository
class Deliveries {

    private static final String COLUMNS = "id, endpoint_id, event_id, event_type, status, attempts, next_attempt_at,"
            + " last_status, last_error, created_at, updated_at";

    /** A delivery claimed for sending, with what to send. */
    record Claimed(
            String id,
            ProjectId project,
            String endpointId,
            Instant endpointUpdatedAt,
            String eventId,
            int attempt,
            String claim,
            String body) {}

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    Deliveries(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /**
     * Claims due deliveries for this node until {@code leaseUntil}, oldest first, at most as many per endpoint as it
     * may have in flight beyond those this node is already sending ({@code busy}). A claim skips rows another node
     * holds, so no attempt is sent twice; a claim whose node died runs out and is taken again.
     */
    List<Claimed> claim(Instant now, Instant leaseUntil, String claim, int limit, Map<String, Integer> busy) {
        var busyIds = busy.keySet().toArray(String[]::new);
        var busyCounts = busy.keySet().stream().map(busy::get).toArray(Integer[]::new);
        return template.query(
                con -> {
                    var statement = con.prepareStatement("""
                            WITH due AS (
                                SELECT d.id FROM (
                                    SELECT d.id, d.endpoint_id, d.next_attempt_at,
                                           row_number() OVER (PARTITION BY d.endpoint_id ORDER BY d.next_attempt_at) AS n
                                    FROM (SELECT id, endpoint_id, next_attempt_at FROM webhooks.deliveries
                                          WHERE status = 'pending' AND next_attempt_at <= ?
                                            AND (claimed_until IS NULL OR claimed_until < ?)
                                          ORDER BY next_attempt_at LIMIT ?) d
                                ) d
                                JOIN webhooks.endpoints e ON e.id = d.endpoint_id
                                LEFT JOIN unnest(?::text[], ?::int[]) AS busy(endpoint_id, n) ON busy.endpoint_id = d.endpoint_id
                                WHERE d.n <= e.max_in_flight - coalesce(busy.n, 0)
                            ), locked AS (
                                SELECT id FROM webhooks.deliveries
                                WHERE id IN (SELECT id FROM due) AND status = 'pending'
                                  AND (claimed_until IS NULL OR claimed_until < ?)
                                FOR UPDATE SKIP LOCKED
                            )
                            UPDATE webhooks.deliveries d
                            SET claimed_until = ?, claim = ?, attempts = d.attempts + 1
                            FROM locked, webhooks.events ev, webhooks.endpoints e
                            WHERE d.id = locked.id AND ev.id = d.event_id AND e.id = d.endpoint_id
                            RETURNING d.id, d.project_id, d.endpoint_id, e.updated_at, d.event_id, d.attempts,
                                      ev.envelope::text
                            """);
                    var at = Timestamp.from(now);
                    statement.setTimestamp(1, at);
                    statement.setTimestamp(2, at);
                    statement.setInt(3, limit * 4);
                    statement.setArray(4, con.createArrayOf("text", busyIds));
                    statement.setArray(5, con.createArrayOf("integer", busyCounts));
                    statement.setTimestamp(6, at);
                    statement.setTimestamp(7, Timestamp.from(leaseUntil));
                    statement.setString(8, claim);
                    return statement;
                },
                (rs, n) -> new Claimed(
                        rs.getString(1),
                        new ProjectId(rs.getString(2)),
                        rs.getString(3),
                        rs.getTimestamp(4).toInstant(),
                        rs.getString(5),
                        rs.getInt(6),
                        claim,
                        rs.getString(7)));
    }

    /**
     * Records the outcome of an attempt made under the claim; false (and nothing written) when the claim is no longer
     * this node's, because it ran out and another node took the delivery.
     */
    boolean finish(
            Claimed claimed,
            String status,
            @Nullable Instant nextAttemptAt,
            @Nullable Integer statusCode,
            @Nullable String error,
            Instant now) {
        return jdbc.sql("""
                        UPDATE webhooks.deliveries SET status = ?, next_attempt_at = ?, claimed_until = NULL,
                            claim = NULL, last_status = ?, last_error = ?, updated_at = ?
                        WHERE id = ? AND claim = ?
                        """)
                        .params(
                                status,
                                Endpoints.timestamp(nextAttemptAt),
                                statusCode,
                                error,
                                Timestamp.from(now),
                                claimed.id(),
                                claimed.claim())
                        .update()
                == 1;
    }

    void recordAttempt(String id, String deliveryId, Delivery.Attempt attempt) {
        jdbc.sql("""
                        INSERT INTO webhooks.attempts (id, delivery_id, attempt, started_at, status_code, response_body,
                            duration_ms, error)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                .params(
                        id,
                        deliveryId,
                        attempt.attempt(),
                        Timestamp.from(attempt.startedAt()),
                        attempt.statusCode(),
                        attempt.responseBody(),
                        attempt.durationMs(),
                        attempt.error())
                .update();
    }

    /** Fails every pending delivery of a disabled endpoint. */
    int failPending(String endpointId, String reason, Instant now) {
        return jdbc.sql("""
                        UPDATE webhooks.deliveries SET status = 'failed', last_error = ?, next_attempt_at = NULL,
                            claimed_until = NULL, claim = NULL, updated_at = ?
                        WHERE endpoint_id = ? AND status = 'pending'
                        """).params(reason, Timestamp.from(now), endpointId).update();
    }

    /** Queues a delivery of one event to one endpoint (a test event, or an endpoint whose filter matched). */
    void queue(ProjectId project, String id, String endpointId, String eventId, String eventType, Instant now) {
        jdbc.sql("""
                        INSERT INTO webhooks.deliveries (id, project_id, endpoint_id, event_id, event_type, status,
                            next_attempt_at, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)
                        ON CONFLICT (endpoint_id, event_id) DO NOTHING
                        """)
                .params(
                        id,
                        project.value(),
                        endpointId,
                        eventId,
                        eventType,
                        Timestamp.from(now),
                        Timestamp.from(now),
                        Timestamp.from(now))
                .update();
    }

    /** Sends a delivery (again) at once; false while a node is sending it. */
    boolean retry(ProjectId project, String id, Instant now) {
        return jdbc.sql("""
                        UPDATE webhooks.deliveries SET status = 'pending', next_attempt_at = ?, updated_at = ?
                        WHERE project_id = ? AND id = ?
                          AND NOT (status = 'pending' AND claimed_until IS NOT NULL AND claimed_until >= ?)
                        """)
                        .params(Timestamp.from(now), Timestamp.from(now), project.value(), id, Timestamp.from(now))
                        .update()
                == 1;
    }

    /** Sends every delivery of the endpoint that failed since the time again; how many. */
    int retryFailed(ProjectId project, String endpointId, Instant since, Instant now) {
        return jdbc.sql("""
                        UPDATE webhooks.deliveries SET status = 'pending', next_attempt_at = ?, updated_at = ?
                        WHERE project_id = ? AND endpoint_id = ? AND status = 'failed' AND updated_at >= ?
                        """)
                .params(Timestamp.from(now), Timestamp.from(now), project.value(), endpointId, Timestamp.from(since))
                .update();
    }

    Optional<Delivery> find(ProjectId project, String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM webhooks.deliveries WHERE project_id = ? AND id = ?")
                .params(project.value(), id)
                .query(Deliveries::map)
                .optional()
                .map(delivery -> delivery.withAttempts(attempts(id)));
    }

    List<Delivery.Attempt> attempts(String deliveryId) {
        return jdbc.sql("""
                        SELECT attempt, started_at, status_code, response_body, duration_ms, error FROM webhooks.attempts
                        WHERE delivery_id = ? ORDER BY attempt, started_at
                        """)
                .param(deliveryId)
                .query((rs, n) -> new Delivery.Attempt(
                        rs.getInt(1),
                        rs.getTimestamp(2).toInstant(),
                        (Integer) rs.getObject(3),
                        rs.getString(4),
                        rs.getLong(5),
                        rs.getString(6)))
                .list();
    }

    /** Newest first; by endpoint, and by status when given. */
    List<Delivery> list(ProjectId project, String endpointId, @Nullable String status, Paging paging) {
        return paging.select(jdbc, COLUMNS, "webhooks.deliveries", project, FILTER, true)
                .param("endpoint", endpointId)
                .param("status", status)
                .query(Deliveries::map)
                .list();
    }

    long count(ProjectId project, String endpointId, @Nullable String status) {
        return Paging.count(jdbc, "webhooks.deliveries", project, FILTER)
                .param("endpoint", endpointId)
                .param("status", status)
                .query(Long.class)
                .single();
    }

    private static final String FILTER =
            "AND endpoint_id = :endpoint AND (CAST(:status AS text) IS NULL OR status = :status)";

    private static Delivery map(ResultSet rs, int row) throws SQLException {
        return new Delivery(
                rs.getString("id"),
                rs.getString("endpoint_id"),
                rs.getString("event_id"),
                rs.getString("event_type"),
                rs.getString("status"),
                rs.getInt("attempts"),
                Endpoints.instant(rs.getTimestamp("next_attempt_at")),
                (Integer) rs.getObject("last_status"),
                rs.getString("last_error"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                List.of());
    }
}
