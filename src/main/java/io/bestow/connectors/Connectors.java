package io.bestow.connectors;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.bestow.shared.RecentCache;
import io.bestow.shared.Secrets;
import io.bestow.shared.SqlTimes;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The connectors table; secrets and tokens are encrypted on the way in and decrypted on the way out. */
@Repository
class Connectors {

    private static final String COLUMNS =
            "id, name, description, base_url, content_type, auth_type, auth::text AS auth,"
                    + " secrets, access_token, refresh_token, token_expires_at, authorized_at, rate_limit_per_second,"
                    + " inbound::text AS inbound, inbound_secret, metadata::text AS metadata, created_at, updated_at";
    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};
    private static final TypeReference<Map<String, Object>> OBJECTS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Secrets secrets;
    /** Connectors as calls read them, by project and id: a program calls through one connector many times a second. */
    private final RecentCache<String, Connector> calling;

    Connectors(JdbcClient jdbc, JsonMapper json, Secrets secrets, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.secrets = secrets;
        this.calling = new RecentCache<>(Duration.ofSeconds(5), clock);
    }

    /** Inserts the connector unless its name is taken; returns whether it did. */
    boolean insert(ProjectId project, Connector c) {
        return jdbc.sql("""
                        INSERT INTO connectors.connectors (id, project_id, name, description, base_url, content_type,
                            auth_type, auth, secrets, rate_limit_per_second, inbound, inbound_secret, metadata,
                            created_at, updated_at)
                        VALUES (:id, :project, :name, :description, :baseUrl, :contentType, :authType,
                            CAST(:auth AS jsonb), :secrets, :rateLimit, CAST(:inbound AS jsonb), :inboundSecret,
                            CAST(:metadata AS jsonb), :created, :updated)
                        ON CONFLICT (project_id, name) DO NOTHING
                        """).paramSource(params(project, c)).update() == 1;
    }

    /**
     * Writes the connector's settings and tokens; returns false when another connector has its new name.
     */
    boolean update(ProjectId project, Connector c) {
        calling.forgetAfterCommit(project.value() + "/" + c.id());
        return jdbc.sql("""
                        UPDATE connectors.connectors SET name = :name, description = :description, base_url = :baseUrl,
                            content_type = :contentType, auth_type = :authType, auth = CAST(:auth AS jsonb),
                            secrets = :secrets, access_token = :access, refresh_token = :refresh,
                            token_expires_at = :expires, authorized_at = :authorized, rate_limit_per_second = :rateLimit,
                            inbound = CAST(:inbound AS jsonb), inbound_secret = :inboundSecret,
                            metadata = CAST(:metadata AS jsonb), updated_at = :updated
                        WHERE project_id = :project AND id = :id
                          AND NOT EXISTS (SELECT 1 FROM connectors.connectors other
                                          WHERE other.project_id = :project AND other.name = :name AND other.id <> :id)
                        """).paramSource(params(project, c)).update() == 1;
    }

    /** Stores tokens obtained for the connector (by a grant or a refresh). */
    void saveTokens(ProjectId project, Connector c) {
        calling.forgetAfterCommit(project.value() + "/" + c.id());
        jdbc.sql("""
                        UPDATE connectors.connectors SET access_token = :access, refresh_token = :refresh,
                            token_expires_at = :expires, authorized_at = :authorized
                        WHERE project_id = :project AND id = :id
                        """).paramSource(params(project, c)).update();
    }

    Optional<Connector> find(ProjectId project, String idOrName) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM connectors.connectors"
                        + " WHERE project_id = ? AND (id = ? OR name = ?)"
                        + " ORDER BY id = ? DESC LIMIT 1")
                .params(project.value(), idOrName, idOrName, idOrName)
                .query(this::map)
                .optional();
    }

    /**
     * The connector by its id as read at most 5 seconds ago on this node, for calls: a change made here is seen at
     * once, one made on another node within that time. A token refreshed meanwhile is no trouble: a call whose token
     * looks expired reads the row again under its lock.
     */
    Optional<Connector> recent(ProjectId project, String id) {
        return calling.get(project.value() + "/" + id, key -> find(project, id));
    }

    /** The connector, its row locked until the transaction ends: one token refresh at a time, on any node. */
    Optional<Connector> lock(ProjectId project, String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM connectors.connectors WHERE project_id = ? AND id = ? FOR UPDATE")
                .params(project.value(), id)
                .query(this::map)
                .optional();
    }

    List<Connector> list(ProjectId project, Paging paging) {
        return paging.select(jdbc, COLUMNS, "connectors.connectors", project, "", true)
                .query(this::map)
                .list();
    }

    long count(ProjectId project) {
        return Paging.count(jdbc, "connectors.connectors", project, "")
                .query(Long.class)
                .single();
    }

    boolean hasActions(ProjectId project, String id) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM connectors.actions WHERE project_id = ? AND connector_id = ?)")
                .params(project.value(), id)
                .query(Boolean.class)
                .single();
    }

    void delete(ProjectId project, String id) {
        calling.forgetAfterCommit(project.value() + "/" + id);
        jdbc.sql("DELETE FROM connectors.connectors WHERE project_id = ? AND id = ?")
                .params(project.value(), id)
                .update();
    }

    private Map<String, @Nullable Object> params(ProjectId project, Connector c) {
        var params = new LinkedHashMap<String, @Nullable Object>();
        params.put("id", c.id());
        params.put("project", project.value());
        params.put("name", c.name());
        params.put("description", c.description());
        params.put("baseUrl", c.baseUrl());
        params.put("contentType", c.contentType());
        params.put("authType", c.authentication().type());
        params.put("auth", json.writeValueAsString(c.authentication().settings()));
        params.put(
                "secrets",
                c.authentication().secrets().isEmpty()
                        ? null
                        : secrets.encrypt(
                                json.writeValueAsString(c.authentication().secrets())));
        params.put("access", c.accessToken() == null ? null : secrets.encrypt(c.accessToken()));
        params.put("refresh", c.refreshToken() == null ? null : secrets.encrypt(c.refreshToken()));
        params.put("expires", SqlTimes.timestamp(c.tokenExpiresAt()));
        params.put("authorized", SqlTimes.timestamp(c.authorizedAt()));
        params.put("rateLimit", c.rateLimitPerSecond());
        params.put("inbound", c.inbound() == null ? null : json.writeValueAsString(c.inbound()));
        params.put(
                "inboundSecret",
                c.inbound() == null ? null : secrets.encrypt(c.inbound().secret()));
        params.put("metadata", json.writeValueAsString(c.metadata()));
        params.put("created", Timestamp.from(c.createdAt()));
        params.put("updated", Timestamp.from(c.updatedAt()));
        return params;
    }

    private Connector map(ResultSet rs, int row) throws SQLException {
        var sealed = rs.getBytes("secrets");
        var auth = new ConnectorAuth(
                rs.getString("auth_type"),
                json.readValue(rs.getString("auth"), STRINGS),
                sealed == null ? Map.of() : json.readValue(secrets.decrypt(sealed), STRINGS));
        return new Connector(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("description"),
                rs.getString("base_url"),
                rs.getString("content_type"),
                auth,
                decrypt(rs.getBytes("access_token")),
                decrypt(rs.getBytes("refresh_token")),
                SqlTimes.instant(rs.getTimestamp("token_expires_at")),
                SqlTimes.instant(rs.getTimestamp("authorized_at")),
                (Integer) rs.getObject("rate_limit_per_second"),
                inbound(rs.getString("inbound"), rs.getBytes("inbound_secret")),
                json.readValue(rs.getString("metadata"), OBJECTS),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }

    /** The stored inbound settings (the secret is kept apart, encrypted, and masked in the JSON column). */
    private @Nullable InboundSettings inbound(@Nullable String stored, byte @Nullable [] sealed) {
        if (stored == null || sealed == null) {
            return null;
        }
        var node = json.readTree(stored);
        var rules = json.convertValue(node.path("rules"), new TypeReference<List<InboundSettings.Rule>>() {});
        return new InboundSettings(
                node.path("verification").asString(),
                secrets.decrypt(sealed),
                node.path("signature_header").isString()
                        ? node.path("signature_header").asString()
                        : null,
                node.path("timestamp_header").isString()
                        ? node.path("timestamp_header").asString()
                        : null,
                node.path("id_pointer").isString() ? node.path("id_pointer").asString() : null,
                node.path("tolerance_seconds").asLong(300),
                rules == null ? List.of() : rules);
    }

    /** The connector with the given id, whichever project it belongs to, with that project. */
    Optional<Map.Entry<ProjectId, Connector>> findAnywhere(String id) {
        return jdbc.sql("SELECT project_id, " + COLUMNS + " FROM connectors.connectors WHERE id = ?")
                .param(id)
                .query((rs, n) -> Map.entry(new ProjectId(rs.getString("project_id")), map(rs, n)))
                .optional();
    }

    private @Nullable String decrypt(byte @Nullable [] sealed) {
        return sealed == null ? null : secrets.decrypt(sealed);
    }
}
