package io.bestow.connectors;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The actions table. */
@Repository
class Actions {

    private static final String COLUMNS = "id, name, description, connector_id, method, url, headers::text AS headers,"
            + " query::text AS query, body, outputs::text AS outputs, timeout_ms, retry::text AS retry,"
            + " idempotency_header, sample::text AS sample, created_at, updated_at";
    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};
    private static final TypeReference<Map<String, Object>> OBJECTS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;

    Actions(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Inserts the action unless its name is taken; returns whether it did. */
    boolean insert(ProjectId project, Action a) {
        return jdbc.sql("""
                        INSERT INTO connectors.actions (id, project_id, connector_id, name, description, method, url,
                            headers, query, body, outputs, timeout_ms, retry, idempotency_header, sample,
                            created_at, updated_at)
                        VALUES (:id, :project, :connector, :name, :description, :method, :url, CAST(:headers AS jsonb),
                            CAST(:query AS jsonb), :body, CAST(:outputs AS jsonb), :timeout, CAST(:retry AS jsonb),
                            :idempotency, CAST(:sample AS jsonb), :created, :updated)
                        ON CONFLICT (project_id, name) DO NOTHING
                        """).paramSource(params(project, a)).update() == 1;
    }

    /** Writes the action; returns false when another action has its new name. */
    boolean update(ProjectId project, Action a) {
        return jdbc.sql("""
                        UPDATE connectors.actions SET connector_id = :connector, name = :name,
                            description = :description, method = :method, url = :url, headers = CAST(:headers AS jsonb),
                            query = CAST(:query AS jsonb), body = :body, outputs = CAST(:outputs AS jsonb),
                            timeout_ms = :timeout, retry = CAST(:retry AS jsonb), idempotency_header = :idempotency,
                            sample = CAST(:sample AS jsonb), updated_at = :updated
                        WHERE project_id = :project AND id = :id
                          AND NOT EXISTS (SELECT 1 FROM connectors.actions other
                                          WHERE other.project_id = :project AND other.name = :name AND other.id <> :id)
                        """).paramSource(params(project, a)).update() == 1;
    }

    Optional<Action> find(ProjectId project, String idOrName) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM connectors.actions WHERE project_id = ? AND (id = ? OR name = ?)"
                        + " ORDER BY id = ? DESC LIMIT 1")
                .params(project.value(), idOrName, idOrName, idOrName)
                .query(this::map)
                .optional();
    }

    /** Newest first; {@code connector_id} filters. */
    List<Action> list(ProjectId project, @Nullable String connectorId, Paging paging) {
        return paging.select(jdbc, COLUMNS, "connectors.actions", project, filter(connectorId), true)
                .param("connector", connectorId)
                .query(this::map)
                .list();
    }

    long count(ProjectId project, @Nullable String connectorId) {
        return Paging.count(jdbc, "connectors.actions", project, filter(connectorId))
                .param("connector", connectorId)
                .query(Long.class)
                .single();
    }

    /** Every action of a connector, oldest first (for export). */
    List<Action> ofConnector(ProjectId project, String connectorId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM connectors.actions WHERE project_id = ? AND connector_id = ?"
                        + " ORDER BY created_at, id")
                .params(project.value(), connectorId)
                .query(this::map)
                .list();
    }

    void delete(ProjectId project, String id) {
        jdbc.sql("DELETE FROM connectors.actions WHERE project_id = ? AND id = ?")
                .params(project.value(), id)
                .update();
    }

    private static String filter(@Nullable String connectorId) {
        return connectorId == null ? "AND CAST(:connector AS text) IS NULL" : "AND connector_id = :connector";
    }

    private Map<String, @Nullable Object> params(ProjectId project, Action a) {
        var params = new LinkedHashMap<String, @Nullable Object>();
        params.put("id", a.id());
        params.put("project", project.value());
        params.put("connector", a.connectorId());
        params.put("name", a.name());
        params.put("description", a.description());
        params.put("method", a.method());
        params.put("url", a.url());
        params.put("headers", json.writeValueAsString(a.headers()));
        params.put("query", json.writeValueAsString(a.query()));
        params.put("body", a.body());
        params.put("outputs", json.writeValueAsString(a.outputs()));
        params.put("timeout", a.timeoutMs());
        params.put("retry", json.writeValueAsString(a.retry()));
        params.put("idempotency", a.idempotencyHeader());
        params.put("sample", json.writeValueAsString(a.sample()));
        params.put("created", Timestamp.from(a.createdAt()));
        params.put("updated", Timestamp.from(a.updatedAt()));
        return params;
    }

    private Action map(ResultSet rs, int row) throws SQLException {
        return new Action(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("description"),
                rs.getString("connector_id"),
                rs.getString("method"),
                rs.getString("url"),
                json.readValue(rs.getString("headers"), STRINGS),
                json.readValue(rs.getString("query"), STRINGS),
                rs.getString("body"),
                json.readValue(rs.getString("outputs"), STRINGS),
                rs.getInt("timeout_ms"),
                json.readValue(rs.getString("retry"), Action.Retry.class),
                rs.getString("idempotency_header"),
                json.readValue(rs.getString("sample"), OBJECTS),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
