package io.bestow.connectors;

import io.bestow.shared.ProjectId;
import io.bestow.shared.Secrets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** OAuth 2.0 authorization-code flows under way, by the hash of their state; each is taken once. */
@Repository
class Authorizations {

    /** A flow under way: whose it is, its PKCE verifier and the redirect URI the provider was given. */
    record Pending(ProjectId project, String connectorId, String codeVerifier, String redirectUri, Instant expiresAt) {}

    private final JdbcClient jdbc;
    private final Secrets secrets;

    Authorizations(JdbcClient jdbc, Secrets secrets) {
        this.jdbc = jdbc;
        this.secrets = secrets;
    }

    void insert(String stateHash, Pending pending) {
        jdbc.sql("""
                        INSERT INTO connectors.authorizations
                            (state_hash, project_id, connector_id, code_verifier, redirect_uri, expires_at)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """)
                .params(
                        stateHash,
                        pending.project().value(),
                        pending.connectorId(),
                        secrets.encrypt(pending.codeVerifier()),
                        pending.redirectUri(),
                        Timestamp.from(pending.expiresAt()))
                .update();
    }

    /** Removes and returns the flow of a state, unless it has expired: a state is good for one callback only. */
    Optional<Pending> take(String stateHash, Instant now) {
        return jdbc.sql("""
                        DELETE FROM connectors.authorizations WHERE state_hash = ?
                        RETURNING project_id, connector_id, code_verifier, redirect_uri, expires_at
                        """)
                .param(stateHash)
                .query((rs, n) -> new Pending(
                        new ProjectId(rs.getString("project_id")),
                        rs.getString("connector_id"),
                        secrets.decrypt(rs.getBytes("code_verifier")),
                        rs.getString("redirect_uri"),
                        rs.getTimestamp("expires_at").toInstant()))
                .optional()
                .filter(pending -> pending.expiresAt().isAfter(now));
    }

    /** Forgets flows that were never finished. */
    void deleteExpired(Instant now) {
        jdbc.sql("DELETE FROM connectors.authorizations WHERE expires_at < ?")
                .param(Timestamp.from(now))
                .update();
    }
}
