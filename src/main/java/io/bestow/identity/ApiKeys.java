package io.bestow.identity;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.bestow.shared.SqlTimes;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The API keys table; tokens are stored only as their SHA-256 hash. */
@Repository
class ApiKeys {

    private static final String COLUMNS = "id, name, app_id, token_last4, role, created_at, revoked_at, last_used_at";

    private final JdbcClient jdbc;

    ApiKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(ProjectId project, ApiKey key, String tokenHash) {
        jdbc.sql("""
                        INSERT INTO identity.api_keys (id, project_id, name, app_id, token_hash, token_last4, role, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                .params(
                        key.id(),
                        project.value(),
                        key.name(),
                        key.appId(),
                        tokenHash,
                        key.appTokenLast4(),
                        key.role().value(),
                        Timestamp.from(key.createdAt()))
                .update();
    }

    Optional<ApiKey> find(ProjectId project, String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM identity.api_keys WHERE project_id = ? AND id = ?")
                .params(project.value(), id)
                .query(ApiKeys::map)
                .optional();
    }

    List<ApiKey> list(ProjectId project, Paging paging) {
        return paging.select(jdbc, COLUMNS, "identity.api_keys", project, "", false)
                .query(ApiKeys::map)
                .list();
    }

    long count(ProjectId project) {
        return jdbc.sql("SELECT count(*) FROM identity.api_keys WHERE project_id = ?")
                .param(project.value())
                .query(Long.class)
                .single();
    }

    long countActive(ProjectId project) {
        return jdbc.sql("SELECT count(*) FROM identity.api_keys WHERE project_id = ? AND revoked_at IS NULL")
                .param(project.value())
                .query(Long.class)
                .single();
    }

    boolean revoke(ProjectId project, String id, Instant at) {
        return jdbc.sql(
                                "UPDATE identity.api_keys SET revoked_at = ? WHERE project_id = ? AND id = ? AND revoked_at IS NULL")
                        .params(Timestamp.from(at), project.value(), id)
                        .update()
                == 1;
    }

    /** What authentication needs of a key, found by its public app id. */
    Optional<Credentials> credentials(String appId) {
        return jdbc.sql("""
                        SELECT id, project_id, token_hash, role, last_used_at FROM identity.api_keys
                        WHERE app_id = ? AND revoked_at IS NULL
                        """)
                .param(appId)
                .query((rs, n) -> new Credentials(
                        rs.getString("id"),
                        new ProjectId(rs.getString("project_id")),
                        rs.getString("token_hash"),
                        Role.of(rs.getString("role")),
                        SqlTimes.instant(rs.getTimestamp("last_used_at"))))
                .optional();
    }

    void touch(String id, Instant at) {
        jdbc.sql("UPDATE identity.api_keys SET last_used_at = ? WHERE id = ?")
                .params(Timestamp.from(at), id)
                .update();
    }

    record Credentials(
            String id,
            ProjectId projectId,
            String tokenHash,
            Role role,
            @Nullable Instant lastUsedAt) {
        Credentials usedAt(Instant at) {
            return new Credentials(id, projectId, tokenHash, role, at);
        }
    }

    private static ApiKey map(ResultSet rs, int row) throws SQLException {
        return new ApiKey(
                rs.getString("id"),
                "api_key",
                rs.getString("name"),
                rs.getString("app_id"),
                rs.getString("token_last4"),
                Role.of(rs.getString("role")),
                rs.getTimestamp("created_at").toInstant(),
                SqlTimes.instant(rs.getTimestamp("revoked_at")),
                SqlTimes.instant(rs.getTimestamp("last_used_at")));
    }
}
