package io.bestow.giftlinks;

import io.bestow.shared.Ids;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.bestow.shared.SqlTimes;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The links, verifications and claims tables. */
@Repository
class GiftLinks {

    private static final String COLUMNS = "id, campaign, gift_id, budget_id, sender_id, message, multi_use, max_claims,"
            + " claims, hold_days, expires_at, revoked_at, created_by, created_at, updated_at";
    private static final String VERIFICATION_COLUMNS = "id, link_id, email, customer_id, code_hash, code_expires_at,"
            + " failed_attempts, locked_until, status, reason, send_id, created_at";

    private final JdbcClient jdbc;

    GiftLinks(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(ProjectId project, GiftLink link, String tokenHash) {
        jdbc.sql("INSERT INTO giftlinks.links (" + COLUMNS + ", project_id, token_hash)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                        link.id(),
                        link.campaign(),
                        link.giftId(),
                        link.budgetId(),
                        link.senderId(),
                        link.message(),
                        link.multiUse(),
                        link.maxClaims(),
                        link.claims(),
                        link.holdDays(),
                        SqlTimes.timestamp(link.expiresAt()),
                        SqlTimes.timestamp(link.revokedAt()),
                        link.createdBy(),
                        Timestamp.from(link.createdAt()),
                        Timestamp.from(link.updatedAt()),
                        project.value(),
                        tokenHash)
                .update();
    }

    Optional<GiftLink> find(ProjectId project, String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM giftlinks.links WHERE project_id = ? AND id = ?")
                .params(project.value(), id)
                .query(GiftLinks::link)
                .optional();
    }

    /** The link a token opens, with its project. */
    Optional<Map.Entry<ProjectId, GiftLink>> findByToken(String tokenHash) {
        return jdbc.sql("SELECT project_id, " + COLUMNS + " FROM giftlinks.links WHERE token_hash = ?")
                .param(tokenHash)
                .query((rs, n) -> Map.entry(new ProjectId(rs.getString("project_id")), link(rs, n)))
                .optional();
    }

    /** The link, its row locked until the transaction ends: its claims are counted one at a time. */
    GiftLink lock(ProjectId project, String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM giftlinks.links WHERE project_id = ? AND id = ? FOR UPDATE")
                .params(project.value(), id)
                .query(GiftLinks::link)
                .single();
    }

    List<GiftLink> list(ProjectId project, Paging paging) {
        return paging.select(jdbc, COLUMNS, "giftlinks.links", project, "", true)
                .query(GiftLinks::link)
                .list();
    }

    long count(ProjectId project) {
        return Paging.count(jdbc, "giftlinks.links", project, "")
                .query(Long.class)
                .single();
    }

    void revoke(ProjectId project, String id, Instant now) {
        jdbc.sql("UPDATE giftlinks.links SET revoked_at = coalesce(revoked_at, ?), updated_at = ?"
                        + " WHERE project_id = ? AND id = ?")
                .params(Timestamp.from(now), Timestamp.from(now), project.value(), id)
                .update();
    }

    /** Records a claim; false when the recipient already claimed in this campaign. */
    boolean claim(
            ProjectId project, GiftLink link, String customerId, String verificationId, String sendId, Instant now) {
        boolean first = jdbc.sql("""
                        INSERT INTO giftlinks.claims (id, project_id, link_id, campaign, customer_id, verification_id,
                            send_id, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (project_id, campaign, customer_id) DO NOTHING
                        """)
                        .params(
                                Ids.generate("glc"),
                                project.value(),
                                link.id(),
                                link.campaign(),
                                customerId,
                                verificationId,
                                sendId,
                                Timestamp.from(now))
                        .update()
                > 0;
        if (first) {
            jdbc.sql("UPDATE giftlinks.links SET claims = claims + 1, updated_at = ? WHERE id = ?")
                    .params(Timestamp.from(now), link.id())
                    .update();
        }
        return first;
    }

    /** Whether the recipient already claimed in the campaign. */
    boolean claimed(ProjectId project, String campaign, String customerId) {
        return jdbc.sql(
                                "SELECT count(*) FROM giftlinks.claims WHERE project_id = ? AND campaign = ? AND customer_id = ?")
                        .params(project.value(), campaign, customerId)
                        .query(Long.class)
                        .single()
                > 0;
    }

    /** The sends a link's claims made. */
    List<String> sendIds(ProjectId project, String linkId) {
        return jdbc.sql("SELECT send_id FROM giftlinks.claims WHERE project_id = ? AND link_id = ?")
                .params(project.value(), linkId)
                .query(String.class)
                .list();
    }

    void insertVerification(ProjectId project, Verification v, @Nullable String ip) {
        jdbc.sql("INSERT INTO giftlinks.verifications (" + VERIFICATION_COLUMNS + ", project_id, ip, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                        v.id(),
                        v.linkId(),
                        v.email(),
                        v.customerId(),
                        v.codeHash(),
                        Timestamp.from(v.codeExpiresAt()),
                        v.failedAttempts(),
                        SqlTimes.timestamp(v.lockedUntil()),
                        v.status(),
                        v.reason(),
                        v.sendId(),
                        Timestamp.from(v.createdAt()),
                        project.value(),
                        ip,
                        Timestamp.from(v.createdAt()))
                .update();
    }

    /** The verification, its row locked until the transaction ends: its attempts are counted one at a time. */
    Optional<Verification> lockVerification(ProjectId project, String linkId, String id) {
        return jdbc.sql("SELECT " + VERIFICATION_COLUMNS
                        + " FROM giftlinks.verifications WHERE project_id = ? AND link_id = ? AND id = ? FOR UPDATE")
                .params(project.value(), linkId, id)
                .query(GiftLinks::verification)
                .optional();
    }

    Optional<Verification> findVerification(ProjectId project, String linkId, String id) {
        return jdbc.sql("SELECT " + VERIFICATION_COLUMNS
                        + " FROM giftlinks.verifications WHERE project_id = ? AND link_id = ? AND id = ?")
                .params(project.value(), linkId, id)
                .query(GiftLinks::verification)
                .optional();
    }

    void updateVerification(ProjectId project, Verification v, Instant now) {
        jdbc.sql("""
                        UPDATE giftlinks.verifications SET failed_attempts = ?, locked_until = ?, status = ?,
                            reason = ?, send_id = ?, updated_at = ?
                        WHERE project_id = ? AND id = ?
                        """)
                .params(
                        v.failedAttempts(),
                        SqlTimes.timestamp(v.lockedUntil()),
                        v.status(),
                        v.reason(),
                        v.sendId(),
                        Timestamp.from(now),
                        project.value(),
                        v.id())
                .update();
    }

    /** A link's verifications, newest first, for the admin's view of who tried and why it failed. */
    List<Map<String, Object>> attempts(ProjectId project, String linkId, Paging paging) {
        return paging.select(
                        jdbc,
                        "id, email, customer_id, status, reason, send_id, failed_attempts, created_at, updated_at",
                        "giftlinks.verifications",
                        project,
                        "AND link_id = :link",
                        true)
                .param("link", linkId)
                .query((rs, n) -> {
                    var row = new LinkedHashMap<String, Object>();
                    row.put("id", rs.getString("id"));
                    row.put("object", "gift_link_attempt");
                    row.put("email", rs.getString("email"));
                    row.put("customer_id", rs.getString("customer_id"));
                    row.put("status", rs.getString("status"));
                    row.put("reason", rs.getString("reason"));
                    row.put("send_id", rs.getString("send_id"));
                    row.put("failed_attempts", rs.getInt("failed_attempts"));
                    row.put("created_at", rs.getTimestamp("created_at").toInstant());
                    row.put("updated_at", rs.getTimestamp("updated_at").toInstant());
                    return (Map<String, Object>) row;
                })
                .list();
    }

    long countAttempts(ProjectId project, String linkId) {
        return Paging.count(jdbc, "giftlinks.verifications", project, "AND link_id = :link")
                .param("link", linkId)
                .query(Long.class)
                .single();
    }

    private static GiftLink link(ResultSet rs, int row) throws SQLException {
        return new GiftLink(
                rs.getString("id"),
                rs.getString("campaign"),
                rs.getString("gift_id"),
                rs.getString("budget_id"),
                rs.getString("sender_id"),
                rs.getString("message"),
                rs.getBoolean("multi_use"),
                rs.getObject("max_claims", Integer.class),
                rs.getInt("claims"),
                rs.getInt("hold_days"),
                SqlTimes.instant(rs.getTimestamp("expires_at")),
                SqlTimes.instant(rs.getTimestamp("revoked_at")),
                rs.getString("created_by"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }

    private static Verification verification(ResultSet rs, int row) throws SQLException {
        return new Verification(
                rs.getString("id"),
                rs.getString("link_id"),
                rs.getString("email"),
                rs.getString("customer_id"),
                rs.getString("code_hash"),
                rs.getTimestamp("code_expires_at").toInstant(),
                rs.getInt("failed_attempts"),
                SqlTimes.instant(rs.getTimestamp("locked_until")),
                rs.getString("status"),
                rs.getString("reason"),
                rs.getString("send_id"),
                rs.getTimestamp("created_at").toInstant());
    }
}
