package io.bestow.connectors;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
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

    Calls(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Logs an attempt, with the idempotency key its caller gave the run, if any. */
    void insert(ProjectId project, Call c, @Nullable String idempotencyKey) {
        jdbc.sql("""
                        INSERT INTO connectors.calls (id, project_id, execution_id, action_id, connector_id, origin,
                            attempt, outcome, status, error, request, response, outputs, duration_ms, created_at,
                            idempotency_key)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb), CAST(? AS jsonb), ?, ?,
                            ?)
                        """)
                .params(
                        c.id(),
                        project.value(),
                        c.executionId(),
                        c.actionId(),
                        c.connectorId(),
                        c.origin(),
                        c.attempt(),
                        c.outcome(),
                        c.status(),
                        c.error(),
                        json.writeValueAsString(c.request()),
                        c.response() == null ? null : json.writeValueAsString(c.response()),
                        c.outputs() == null ? null : json.writeValueAsString(c.outputs()),
                        c.durationMs(),
                        Timestamp.from(c.createdAt()),
                        idempotencyKey)
                .update();
    }

    /** The succeeded attempt of a run of this action that its caller gave this idempotency key, if there is one. */
    Optional<Call> succeeded(ProjectId project, String actionId, String idempotencyKey) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM connectors.calls WHERE project_id = ? AND action_id = ?"
                        + " AND idempotency_key = ? AND outcome = 'succeeded' ORDER BY created_at DESC LIMIT 1")
                .params(project.value(), actionId, idempotencyKey)
                .query(this::map)
                .optional();
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
