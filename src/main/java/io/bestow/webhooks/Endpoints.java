package io.bestow.webhooks;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.bestow.shared.Secrets;
import io.bestow.shared.SqlTimes;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The webhook endpoints table; signing secrets are encrypted on the way in and decrypted on the way out. */
@Repository
class Endpoints {

    private static final String COLUMNS =
            "id, url, description, event_types, filter, headers::text AS headers, enabled,"
                    + " disabled_reason, max_in_flight, secret, previous_secret, previous_secret_until, failing_since,"
                    + " metadata::text AS metadata, created_at, updated_at";

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Secrets secrets;

    Endpoints(JdbcClient jdbc, JsonMapper json, Secrets secrets) {
        this.jdbc = jdbc;
        this.json = json;
        this.secrets = secrets;
    }

    void insert(ProjectId project, Endpoint e) {
        jdbc.sql("""
                        INSERT INTO webhooks.endpoints (id, project_id, url, description, event_types, filter, headers,
                            enabled, disabled_reason, max_in_flight, secret, previous_secret, previous_secret_until,
                            failing_since, metadata, created_at, updated_at)
                        VALUES (:id, :project, :url, :description, CAST(:types AS text[]), :filter,
                            CAST(:headers AS jsonb), :enabled, :reason, :maxInFlight, :secret, :previous, :previousUntil,
                            :failingSince, CAST(:metadata AS jsonb), :created, :updated)
                        """).paramSource(params(project, e)).update();
    }

    void update(ProjectId project, Endpoint e) {
        jdbc.sql("""
                        UPDATE webhooks.endpoints SET url = :url, description = :description,
                            event_types = CAST(:types AS text[]), filter = :filter, headers = CAST(:headers AS jsonb),
                            enabled = :enabled, disabled_reason = :reason, max_in_flight = :maxInFlight,
                            secret = :secret, previous_secret = :previous, previous_secret_until = :previousUntil,
                            failing_since = :failingSince, metadata = CAST(:metadata AS jsonb), updated_at = :updated
                        WHERE project_id = :project AND id = :id
                        """).paramSource(params(project, e)).update();
    }

    Optional<Endpoint> find(ProjectId project, String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM webhooks.endpoints WHERE project_id = ? AND id = ?")
                .params(project.value(), id)
                .query(this::map)
                .optional();
    }

    /** An endpoint by id alone, for the sending side, which works across projects. */
    Optional<Endpoint> find(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM webhooks.endpoints WHERE id = ?")
                .param(id)
                .query(this::map)
                .optional();
    }

    /** The endpoint, its row locked until the transaction ends. */
    Optional<Endpoint> lock(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM webhooks.endpoints WHERE id = ? FOR UPDATE")
                .param(id)
                .query(this::map)
                .optional();
    }

    /** The project's enabled endpoints that have a filter: the ones fan-out must ask in Java. */
    List<Endpoint> filtered(ProjectId project) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM webhooks.endpoints"
                        + " WHERE project_id = ? AND enabled AND filter IS NOT NULL")
                .param(project.value())
                .query(this::map)
                .list();
    }

    List<Endpoint> list(ProjectId project, Paging paging) {
        return paging.select(jdbc, COLUMNS, "webhooks.endpoints", project, "", true)
                .query(this::map)
                .list();
    }

    long count(ProjectId project) {
        return Paging.count(jdbc, "webhooks.endpoints", project, "")
                .query(Long.class)
                .single();
    }

    /** Notes the first failure of a run of failures; the time it started, whether set now or before. */
    Instant markFailing(String id, Instant now) {
        return jdbc.sql("""
                        UPDATE webhooks.endpoints SET failing_since = coalesce(failing_since, ?),
                            updated_at = CASE WHEN failing_since IS NULL THEN ? ELSE updated_at END
                        WHERE id = ? RETURNING failing_since
                        """)
                .params(Timestamp.from(now), Timestamp.from(now), id)
                .query(Timestamp.class)
                .optional()
                .map(Timestamp::toInstant)
                .orElse(now);
    }

    void markHealthy(String id, Instant now) {
        jdbc.sql("""
                        UPDATE webhooks.endpoints SET failing_since = NULL, updated_at = ?
                        WHERE id = ? AND failing_since IS NOT NULL
                        """).params(Timestamp.from(now), id).update();
    }

    /** Disables an enabled endpoint; false when it was disabled already. */
    boolean disable(String id, String reason, Instant now) {
        return jdbc.sql("""
                        UPDATE webhooks.endpoints SET enabled = false, disabled_reason = ?, updated_at = ?
                        WHERE id = ? AND enabled
                        """).params(reason, Timestamp.from(now), id).update() == 1;
    }

    void delete(ProjectId project, String id) {
        jdbc.sql("DELETE FROM webhooks.endpoints WHERE project_id = ? AND id = ?")
                .params(project.value(), id)
                .update();
    }

    private Map<String, @Nullable Object> params(ProjectId project, Endpoint e) {
        var params = new LinkedHashMap<String, @Nullable Object>();
        params.put("id", e.id());
        params.put("project", project.value());
        params.put("url", e.url());
        params.put("description", e.description());
        params.put(
                "types",
                "{"
                        + String.join(
                                ",",
                                e.eventTypes().stream()
                                        .map(t -> "\"" + t + "\"")
                                        .toList()) + "}");
        params.put("filter", e.filter());
        params.put("headers", json.writeValueAsString(e.headers()));
        params.put("enabled", e.enabled());
        params.put("reason", e.disabledReason());
        params.put("maxInFlight", e.maxInFlight());
        params.put("secret", secrets.encrypt(e.signingSecret()));
        params.put("previous", e.previousSecret() == null ? null : secrets.encrypt(e.previousSecret()));
        params.put("previousUntil", SqlTimes.timestamp(e.previousSecretUntil()));
        params.put("failingSince", SqlTimes.timestamp(e.failingSince()));
        params.put("metadata", json.writeValueAsString(e.metadata()));
        params.put("created", Timestamp.from(e.createdAt()));
        params.put("updated", Timestamp.from(e.updatedAt()));
        return params;
    }

    private Endpoint map(ResultSet rs, int row) throws SQLException {
        var previous = rs.getBytes("previous_secret");
        return new Endpoint(
                rs.getString("id"),
                rs.getString("url"),
                rs.getString("description"),
                Arrays.asList((String[]) rs.getArray("event_types").getArray()),
                rs.getString("filter"),
                json.readValue(rs.getString("headers"), new TypeReference<Map<String, String>>() {}),
                rs.getBoolean("enabled"),
                rs.getString("disabled_reason"),
                rs.getInt("max_in_flight"),
                secrets.decrypt(rs.getBytes("secret")),
                previous == null ? null : secrets.decrypt(previous),
                SqlTimes.instant(rs.getTimestamp("previous_secret_until")),
                SqlTimes.instant(rs.getTimestamp("failing_since")),
                json.readValue(rs.getString("metadata"), new TypeReference<Map<String, Object>>() {}),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
