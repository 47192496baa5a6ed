package io.bestow.webhooks;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.bestow.shared.SqlTimes;
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
            int endpointMaxInFlight,
            String eventId,
            int attempt,
            String claim,
            Instant leaseUntil,
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
                            WITH candidates AS (
                                SELECT id, endpoint_id, next_attempt_at FROM webhooks.deliveries
                                WHERE status = 'pending' AND next_attempt_at <= ?
                                  AND (claimed_until IS NULL OR claimed_until < ?)
                                ORDER BY next_attempt_at LIMIT ?
                                FOR UPDATE SKIP LOCKED
                            ), ranked AS (
                                SELECT c.id,
                                       row_number() OVER (PARTITION BY c.endpoint_id ORDER BY c.next_attempt_at) AS n,
                                       e.max_in_flight - coalesce(busy.n, 0) AS room
                                FROM candidates c
                                JOIN webhooks.endpoints e ON e.id = c.endpoint_id
                                LEFT JOIN unnest(?::text[], ?::int[]) AS busy(endpoint_id, n)
                                    ON busy.endpoint_id = c.endpoint_id
                            )
                            UPDATE webhooks.deliveries d
                            SET claimed_until = ?, claim = ?, attempts = d.attempts + 1
                            FROM ranked, webhooks.events ev, webhooks.endpoints e
                            WHERE d.id = ranked.id AND ranked.n <= ranked.room
                              AND ev.id = d.event_id AND e.id = d.endpoint_id
                            RETURNING d.id, d.project_id, d.endpoint_id, e.updated_at, e.max_in_flight, d.event_id,
                                      d.attempts, ev.envelope::text
                            """);
                    var at = Timestamp.from(now);
                    statement.setTimestamp(1, at);
                    statement.setTimestamp(2, at);
                    statement.setInt(3, limit);
                    statement.setArray(4, con.createArrayOf("text", busyIds));
                    statement.setArray(5, con.createArrayOf("integer", busyCounts));
                    statement.setTimestamp(6, Timestamp.from(leaseUntil));
                    statement.setString(7, claim);
                    return statement;
                },
                (rs, n) -> new Claimed(
                        rs.getString(1),
                        new ProjectId(rs.getString(2)),
                        rs.getString(3),
                        rs.getTimestamp(4).toInstant(),
                        rs.getInt(5),
                        rs.getString(6),
                        rs.getInt(7),
                        claim,
                        leaseUntil,
                        rs.getString(8)));
    }

    /**
     * Gives claimed deliveries back unsent, for the next claim of any node; a delivery whose claim is no longer the
     * one given is left alone.
     */
    void release(List<Claimed> claimed) {
        var ids = claimed.stream().map(Claimed::id).toArray(String[]::new);
        var claims = claimed.stream().map(Claimed::claim).toArray(String[]::new);
        template.update(con -> {
            var statement = con.prepareStatement("""
                    UPDATE webhooks.deliveries d SET claimed_until = NULL, claim = NULL, attempts = d.attempts - 1
                    FROM unnest(?::text[], ?::text[]) AS released(id, claim)
                    WHERE d.id = released.id AND d.claim = released.claim
                    """);
            statement.setArray(1, con.createArrayOf("text", ids));
            statement.setArray(2, con.createArrayOf("text", claims));
            return statement;
        });
    }

    /** A successful attempt waiting to be recorded. */
    record Success(Claimed claimed, String attemptId, Delivery.Attempt attempt) {}

    /**
     * Records successful attempts and marks their deliveries succeeded, with two statements for the whole batch; a
     * delivery whose claim is no longer this node's is left alone (its attempt stays on record, as it happened).
     */
    void succeeded(List<Success> successes, Instant now) {
        int size = successes.size();
        var ids = new String[size];
        var deliveryIds = new String[size];
        var claims = new String[size];
        var attempts = new Integer[size];
        var started = new Timestamp[size];
        var statuses = new Integer[size];
        var bodies = new String[size];
        var durations = new Long[size];
        for (int i = 0; i < size; i++) {
            var success = successes.get(i);
            ids[i] = success.attemptId();
            deliveryIds[i] = success.claimed().id();
            claims[i] = success.claimed().claim();
            attempts[i] = success.attempt().attempt();
            started[i] = Timestamp.from(success.attempt().startedAt());
            statuses[i] = success.attempt().statusCode();
            bodies[i] = success.attempt().responseBody();
            durations[i] = success.attempt().durationMs();
        }
        template.update(con -> {
            var statement = con.prepareStatement("""
                    INSERT INTO webhooks.attempts (id, delivery_id, attempt, started_at, status_code, response_body,
                        duration_ms)
                    SELECT * FROM unnest(?::text[], ?::text[], ?::int[], ?::timestamptz[], ?::int[], ?::text[],
                        ?::int[])
                    """);
            statement.setArray(1, con.createArrayOf("text", ids));
            statement.setArray(2, con.createArrayOf("text", deliveryIds));
            statement.setArray(3, con.createArrayOf("integer", attempts));
            statement.setArray(4, con.createArrayOf("timestamptz", started));
            statement.setArray(5, con.createArrayOf("integer", statuses));
            statement.setArray(6, con.createArrayOf("text", bodies));
            statement.setArray(7, con.createArrayOf("bigint", durations));
            return statement;
        });
        template.update(con -> {
            var statement = con.prepareStatement("""
                    UPDATE webhooks.deliveries d SET status = 'succeeded', next_attempt_at = NULL,
                        claimed_until = NULL, claim = NULL, last_status = done.status, last_error = NULL,
                        updated_at = ?
                    FROM unnest(?::text[], ?::text[], ?::int[]) AS done(id, claim, status)
                    WHERE d.id = done.id AND d.claim = done.claim
                    """);
            statement.setTimestamp(1, Timestamp.from(now));
            statement.setArray(2, con.createArrayOf("text", deliveryIds));
            statement.setArray(3, con.createArrayOf("text", claims));
            statement.setArray(4, con.createArrayOf("integer", statuses));
            return statement;
        });
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
                                SqlTimes.timestamp(nextAttemptAt),
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
                SqlTimes.instant(rs.getTimestamp("next_attempt_at")),
                (Integer) rs.getObject("last_status"),
                rs.getString("last_error"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                List.of());
    }
}
