package io.bestow.connectors;

import io.bestow.shared.Coalescing;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The call log: one row per attempt. */
@Repository
class Calls {

    private static final String COLUMNS = "id, execution_id, action_id, connector_id, origin, attempt, outcome, status,"
            + " error, request::text AS request, response::text AS response, outputs::text AS outputs, duration_ms,"
            + " created_at";
    private static final TypeReference<Map<String, Object>> OBJECTS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;
    /** Attempts logged by concurrent runs (a program's participants) go in together. */
    private final Coalescing<Logged, Boolean> inserting = new Coalescing<>(this::insertAll, 500);
    /** Likewise the look-ups of earlier runs by idempotency key. */
    private final Coalescing<Key, Optional<Call>> lookingUp = new Coalescing<>(this::succeededAll, 500);

    Calls(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Logs an attempt, with the idempotency key its caller gave the run, if any. */
    void insert(ProjectId project, Call call, @Nullable String idempotencyKey) {
        inserting.apply(new Logged(project, call, idempotencyKey));
    }

    /**
     * The succeeded attempt of a run of this action that its caller gave this idempotency key, if there is one (any
     * one, should two nodes have run it at once). Found through the partial index on keys of succeeded attempts, which
     * a look-up sorted by time would pass over for the index by action and time, scanning every call of the action.
     */
    Optional<Call> succeeded(ProjectId project, String actionId, String idempotencyKey) {
        return lookingUp.apply(new Key(project, actionId, idempotencyKey));
    }

    /** An attempt to log. */
    private record Logged(
            ProjectId project, Call call, @Nullable String idempotencyKey) {}

    /** A run's idempotency key with what it is unique in. */
    private record Key(ProjectId project, String actionId, String idempotencyKey) {}

    private List<Boolean> insertAll(List<Logged> attempts) {
        int n = attempts.size();
        var ids = new String[n];
        var projects = new String[n];
        var executions = new String[n];
        var actions = new String[n];
        var connectors = new String[n];
        var origins = new String[n];
        var numbers = new Integer[n];
        var outcomes = new String[n];
        var statuses = new Integer[n];
        var errors = new String[n];
        var requests = new String[n];
        var responses = new String[n];
        var outputs = new String[n];
        var durations = new Long[n];
        var created = new String[n];
        var keys = new String[n];
        for (int i = 0; i < n; i++) {
            var c = attempts.get(i).call();
            ids[i] = c.id();
            projects[i] = attempts.get(i).project().value();
            executions[i] = c.executionId();
            actions[i] = c.actionId();
            connectors[i] = c.connectorId();
            origins[i] = c.origin();
            numbers[i] = c.attempt();
            outcomes[i] = c.outcome();
            statuses[i] = c.status();
            errors[i] = c.error();
            requests[i] = json.writeValueAsString(c.request());
            responses[i] = c.response() == null ? null : json.writeValueAsString(c.response());
            outputs[i] = c.outputs() == null ? null : json.writeValueAsString(c.outputs());
            durations[i] = c.durationMs();
            created[i] = c.createdAt().toString();
            keys[i] = attempts.get(i).idempotencyKey();
        }
        jdbc.sql("""
                        INSERT INTO connectors.calls (id, project_id, execution_id, action_id, connector_id, origin,
                            attempt, outcome, status, error, request, response, outputs, duration_ms, created_at,
                            idempotency_key)
                        SELECT id, project_id, execution_id, action_id, connector_id, origin, attempt, outcome, status,
                            error, CAST(request AS jsonb), CAST(response AS jsonb), CAST(outputs AS jsonb), duration_ms,
                            created_at, idempotency_key
                        FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[],
                                    ?::text[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[],
                                    ?::timestamptz[], ?::text[])
                            AS t(id, project_id, execution_id, action_id, connector_id, origin, attempt, outcome,
                                 status, error, request, response, outputs, duration_ms, created_at, idempotency_key)
                        """)
                .params(
                        ids,
                        projects,
                        executions,
                        actions,
                        connectors,
                        origins,
                        numbers,
                        outcomes,
                        statuses,
                        errors,
                        requests,
                        responses,
                        outputs,
                        durations,
                        created,
                        keys)
                .update();
        return Collections.nCopies(n, true);
    }

    private List<Optional<Call>> succeededAll(List<Key> keys) {
        var answers = new ArrayList<Optional<Call>>(Collections.nCopies(keys.size(), Optional.empty()));
        jdbc.sql("SELECT k.i, found.* FROM unnest(?::text[], ?::text[], ?::text[]) WITH ORDINALITY"
                        + " AS k(project_id, action_id, idempotency_key, i)"
                        + " CROSS JOIN LATERAL (SELECT " + COLUMNS + " FROM connectors.calls"
                        + " WHERE project_id = k.project_id AND action_id = k.action_id"
                        + " AND idempotency_key = k.idempotency_key AND idempotency_key IS NOT NULL"
                        + " AND outcome = 'succeeded' LIMIT 1) found")
                .params(
                        keys.stream().map(key -> key.project().value()).toArray(String[]::new),
                        keys.stream().map(Key::actionId).toArray(String[]::new),
                        keys.stream().map(Key::idempotencyKey).toArray(String[]::new))
                .query(rs -> {
                    answers.set(rs.getInt("i") - 1, Optional.of(map(rs, 0)));
                });
        return answers;
    }

    Optional<Call> find(ProjectId project, String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM connectors.calls WHERE project_id = ? AND id = ?")
                .params(project.value(), id)
                .query(this::map)
                .optional();
    }

    /** Newest first; filtered by action, connector or execution when given. */
    List<Call> list(ProjectId project, Filter filter, Paging paging) {
        return paging.select(jdbc, COLUMNS, "connectors.calls", project, filter.sql(), true)
                .param("action", filter.actionId())
                .param("connector", filter.connectorId())
                .param("execution", filter.executionId())
                .query(this::map)
                .list();
    }

    long count(ProjectId project, Filter filter) {
        return Paging.count(jdbc, "connectors.calls", project, filter.sql())
                .param("action", filter.actionId())
                .param("connector", filter.connectorId())
                .param("execution", filter.executionId())
                .query(Long.class)
                .single();
    }

    /** Which calls to list. */
    record Filter(
            @Nullable String actionId,
            @Nullable String connectorId,
            @Nullable String executionId) {
        String sql() {
            return " AND (CAST(:action AS text) IS NULL OR action_id = :action)"
                    + " AND (CAST(:connector AS text) IS NULL OR connector_id = :connector)"
                    + " AND (CAST(:execution AS text) IS NULL OR execution_id = :execution)";
        }
    }

    private Call map(ResultSet rs, int row) throws SQLException {
        return new Call(
                rs.getString("id"),
                rs.getString("execution_id"),
                rs.getString("action_id"),
                rs.getString("connector_id"),
                rs.getString("origin"),
                rs.getInt("attempt"),
                rs.getString("outcome"),
                (Integer) rs.getObject("status"),
                rs.getString("error"),
                json.readValue(rs.getString("request"), OBJECTS),
                rs.getString("response") == null ? null : json.readValue(rs.getString("response"), OBJECTS),
                rs.getString("outputs") == null ? null : json.readValue(rs.getString("outputs"), OBJECTS),
                rs.getLong("duration_ms"),
                rs.getTimestamp("created_at").toInstant());
    }
}
