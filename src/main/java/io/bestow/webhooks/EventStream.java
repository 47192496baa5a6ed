package io.bestow.webhooks;

import io.bestow.customers.CustomerErased;
import io.bestow.shared.EventBatch;
import io.bestow.shared.EventEnvelope;
import io.bestow.shared.EventGroup;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectEvent;
import io.bestow.shared.ProjectId;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends every project event to the stream once, and in the same statement queues its webhook deliveries. A single
 * event, or a group of them, is appended inside the transaction that publishes it, so it is in the stream, with its
 * deliveries, exactly when the change it reports is committed, at the cost of one statement; a batch of events (a
 * CSV import's) goes through the outbox after its transaction commits, so that the job's next batch proceeds
 * meanwhile, and is dispatched again on restart when a crash left it behind. The event id keeps every append
 * idempotent. Deliveries of single events and groups are queued claimed by this node, which sends them right after
 * the commit; a batch's wait for the claims.
 */
@Component
class EventStream {

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final FanOut fanOut;
    private final JsonMapper json;

    EventStream(JdbcClient jdbc, JdbcTemplate template, FanOut fanOut, JsonMapper json) {
        this.jdbc = jdbc;
        this.template = template;
        this.fanOut = fanOut;
        this.json = json;
    }

    @EventListener
    void on(ProjectEvent event) {
        var envelope = EventEnvelope.of(event);
        var body = json.writeValueAsString(envelope);
        var lease = fanOut.lease();
        var matches = template.query(
                con -> {
                    var statement = con.prepareStatement("""
                            WITH event AS (
                                INSERT INTO webhooks.events (id, project_id, type, created_at, envelope)
                                VALUES (?, ?, ?, ?, CAST(? AS json)) ON CONFLICT (id) DO NOTHING
                                RETURNING id, project_id, type, created_at
                            ), """ + FAN_OUT);
                    statement.setString(1, envelope.id());
                    statement.setString(2, envelope.projectId().value());
                    statement.setString(3, envelope.type());
                    statement.setTimestamp(4, Timestamp.from(envelope.createdAt()));
                    statement.setString(5, body);
                    lease.bind(statement, 6);
                    return statement;
                },
                FanOut::match);
        fanOut.queued(matches, Map.of(envelope.id(), envelope), Map.of(envelope.id(), body), lease);
    }

    /**
     * The part of an append that queues a delivery for every enabled endpoint that subscribes to the appended events
     * ({@code event}: id, project_id, type, created_at), in the same statement, claimed for this node under the lease
     * of its two last parameters (none when both are null); it answers the endpoints whose filter is for Java to ask
     * (without a delivery id), and each delivery queued with its endpoint's version and limit.
     */
    private static final String FAN_OUT = """
            lease AS (
                SELECT CAST(? AS timestamptz) AS until, CAST(? AS text) AS claim
            ), matched AS (
                SELECT e.id AS endpoint_id, e.filter, e.updated_at, e.max_in_flight, event.id AS event_id,
                       event.project_id, event.type, event.created_at
                FROM webhooks.endpoints e JOIN event ON e.project_id = event.project_id
                WHERE e.enabled AND EXISTS (
                    SELECT 1 FROM unnest(e.event_types) AS p
                    WHERE p = '*' OR p = event.type OR (right(p, 2) = '.*' AND starts_with(event.type, left(p, -1))))
            ), queued AS (
                INSERT INTO webhooks.deliveries (id, project_id, endpoint_id, event_id, event_type, status, attempts,
                    next_attempt_at, claimed_until, claim, created_at, updated_at)
                SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), project_id, endpoint_id, event_id, type,
                       'pending', CASE WHEN lease.claim IS NULL THEN 0 ELSE 1 END, created_at, lease.until,
                       lease.claim, created_at, created_at
                FROM matched, lease WHERE filter IS NULL
                ON CONFLICT (endpoint_id, event_id) DO NOTHING
                RETURNING id, endpoint_id, event_id
            )
            SELECT NULL, endpoint_id, event_id, NULL, NULL FROM matched WHERE filter IS NOT NULL
            UNION ALL
            SELECT q.id, q.endpoint_id, q.event_id, m.updated_at, m.max_in_flight
            FROM queued q JOIN matched m ON m.endpoint_id = q.endpoint_id AND m.event_id = q.event_id
            """;

    /** Appends every event of a batch (a CSV import's, say) with one statement, and fans them out with it. */
    @ApplicationModuleListener
    void on(EventBatch batch) {
        // Thousands of deliveries at once: they wait in the database for the claims, not in this node's memory.
        append(batch.events(), FanOut.Lease.NONE);
    }

    /** Appends a group of events inside the transaction that publishes them, with one statement. */
    @EventListener
    void on(EventGroup group) {
        append(group.events(), fanOut.lease());
    }

    private void append(List<? extends ProjectEvent> events, FanOut.Lease lease) {
        if (events.isEmpty()) {
            return;
        }
        int size = events.size();
        var ids = new String[size];
        var projects = new String[size];
        var types = new String[size];
        var times = new Timestamp[size];
        var bodies = new String[size];
        var byId = new HashMap<String, EventEnvelope>();
        var bodyById = new HashMap<String, String>();
        for (int i = 0; i < size; i++) {
            var envelope = EventEnvelope.of(events.get(i));
            ids[i] = envelope.id();
            projects[i] = envelope.projectId().value();
            types[i] = envelope.type();
            times[i] = Timestamp.from(envelope.createdAt());
            bodies[i] = json.writeValueAsString(envelope);
            byId.put(envelope.id(), envelope);
            bodyById.put(envelope.id(), bodies[i]);
        }
        var matches = template.query(
                con -> {
                    var statement = con.prepareStatement("""
                            WITH event AS (
                                INSERT INTO webhooks.events (id, project_id, type, created_at, envelope)
                                SELECT id, project_id, type, created_at, CAST(envelope AS json)
                                FROM unnest(?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::text[])
                                    AS t(id, project_id, type, created_at, envelope)
                                ON CONFLICT (id) DO NOTHING
                                RETURNING id, project_id, type, created_at
                            ), """ + FAN_OUT);
                    statement.setArray(1, con.createArrayOf("text", ids));
                    statement.setArray(2, con.createArrayOf("text", projects));
                    statement.setArray(3, con.createArrayOf("text", types));
                    statement.setArray(4, con.createArrayOf("timestamptz", times));
                    statement.setArray(5, con.createArrayOf("text", bodies));
                    lease.bind(statement, 6);
                    return statement;
                },
                FanOut::match);
        fanOut.queued(matches, byId, bodyById, lease);
    }

    /** Appends a test event to the stream with a delivery to one endpoint only; the delivery's id. */
    String appendFor(EventEnvelope envelope, String endpointId) {
        jdbc.sql("""
                        INSERT INTO webhooks.events (id, project_id, type, created_at, envelope)
                        VALUES (?, ?, ?, ?, CAST(? AS json))
                        """)
                .params(
                        envelope.id(),
                        envelope.projectId().value(),
                        envelope.type(),
                        Timestamp.from(envelope.createdAt()),
                        json.writeValueAsString(envelope))
                .update();
        return fanOut.queue(envelope, endpointId);
    }

    /**
     * Redacts a permanently erased customer from the stream: every event about them keeps its id, type and time, but
     * its data shrinks to the customer's bare id.
     */
    @ApplicationModuleListener
    void on(CustomerErased erased) {
        jdbc.sql("""
                        UPDATE webhooks.events
                        SET envelope = jsonb_set(envelope::jsonb, '{data,object}',
                                                 jsonb_build_object('id', CAST(? AS text), 'object', 'customer', 'redacted', true))::json
                        WHERE project_id = ?
                          AND (envelope::jsonb #>> '{data,object,id}' = ? OR envelope::jsonb #>> '{data,object,customer,id}' = ?)
                        """)
                .params(
                        erased.customerId(),
                        erased.meta().projectId().value(),
                        erased.customerId(),
                        erased.customerId())
                .update();
    }

    List<Map<String, Object>> list(ProjectId project, @Nullable String type, Paging paging) {
        return jdbc.sql("""
                        SELECT envelope::text FROM webhooks.events
                        WHERE project_id = :project AND (CAST(:type AS text) IS NULL OR type = :type)
                          AND (CAST(:after AS text) IS NULL
                               OR seq > (SELECT seq FROM webhooks.events WHERE project_id = :project AND id = :after))
                        ORDER BY seq LIMIT :limit OFFSET :offset
                        """)
                .param("project", project.value())
                .param("type", type)
                .param("after", paging.startingAfter())
                .param("limit", paging.fetchSize())
                .param("offset", paging.offset())
                .query((rs, n) -> envelope(rs.getString(1)))
                .list();
    }

    /**
     * The feed: events after the cursor in stream order, of the given types ({@code customer.created},
     * {@code send.*}, {@code *}; all when none), one more than the limit so that the caller can tell whether more
     * follow.
     */
    List<Map<String, Object>> feed(ProjectId project, @Nullable String startingAfter, List<String> types, int limit) {
        return jdbc.sql("""
                        SELECT envelope::text FROM webhooks.events
                        WHERE project_id = :project
                          AND (CAST(:after AS text) IS NULL
                               OR seq > (SELECT seq FROM webhooks.events WHERE project_id = :project AND id = :after))
                          AND (CAST(:types AS text) IS NULL OR EXISTS (
                                SELECT 1 FROM unnest(string_to_array(CAST(:types AS text), ',')) AS p
                                WHERE p = '*' OR p = type OR (right(p, 2) = '.*' AND starts_with(type, left(p, -1)))))
                        ORDER BY seq LIMIT :limit
                        """)
                .param("project", project.value())
                .param("after", startingAfter)
                .param("types", types.isEmpty() ? null : String.join(",", types))
                .param("limit", limit + 1)
                .query((rs, n) -> envelope(rs.getString(1)))
                .list();
    }

    boolean exists(ProjectId project, String id) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM webhooks.events WHERE project_id = ? AND id = ?)")
                .params(project.value(), id)
                .query(Boolean.class)
                .single();
    }

    long count(ProjectId project, @Nullable String type) {
        return jdbc.sql("""
                        SELECT count(*) FROM webhooks.events
                        WHERE project_id = :project AND (CAST(:type AS text) IS NULL OR type = :type)
                        """)
                .param("project", project.value())
                .param("type", type)
                .query(Long.class)
                .single();
    }

    Optional<Map<String, Object>> find(ProjectId project, String id) {
        return jdbc.sql("SELECT envelope::text FROM webhooks.events WHERE project_id = ? AND id = ?")
                .params(project.value(), id)
                .query((rs, n) -> envelope(rs.getString(1)))
                .optional();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> envelope(String text) {
        return json.readValue(text, Map.class);
    }
}
