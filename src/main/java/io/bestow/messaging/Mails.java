package io.bestow.messaging;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.bestow.shared.SqlFilters;
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

/** The outbox table. */
@Repository
class Mails {

    private static final String COLUMNS =
            "id, to_address, subject, text_body, html_body, purpose, reference_id, status,"
                    + " attempts, error, created_at, sent_at";

    private final JdbcClient jdbc;

    Mails(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(ProjectId project, Mail mail, @Nullable Instant due) {
        jdbc.sql("INSERT INTO messaging.mails (" + COLUMNS + ", project_id, next_attempt_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, ?, NULL, ?, ?)")
                .params(
                        mail.id(),
                        mail.to(),
                        mail.subject(),
                        mail.text(),
                        mail.html(),
                        mail.purpose(),
                        mail.referenceId(),
                        mail.status(),
                        Timestamp.from(mail.createdAt()),
                        project.value(),
                        SqlTimes.timestamp(due))
                .update();
    }

    /** Takes a queued mail that is due, moving it a lease ahead; empty when it is not (sent, or taken). */
    Optional<Mail> take(String id, Instant now, Instant leaseUntil) {
        return jdbc.sql("UPDATE messaging.mails SET next_attempt_at = ?, attempts = attempts + 1"
                        + " WHERE id = ? AND status = 'queued' AND next_attempt_at <= ? RETURNING " + COLUMNS)
                .params(Timestamp.from(leaseUntil), id, Timestamp.from(now))
                .query(Mails::map)
                .optional();
    }

    void sent(String id, Instant now) {
        jdbc.sql("UPDATE messaging.mails SET status = 'sent', sent_at = ?, next_attempt_at = NULL, error = NULL"
                        + " WHERE id = ?")
                .params(Timestamp.from(now), id)
                .update();
    }

    /** Notes a failed attempt: retried at {@code retryAt}, or failed for good when that is null. */
    void failed(String id, String error, @Nullable Instant retryAt) {
        jdbc.sql(
                        "UPDATE messaging.mails SET error = ?, next_attempt_at = ?,"
                                + " status = CASE WHEN CAST(? AS timestamptz) IS NULL THEN 'failed' ELSE status END WHERE id = ?")
                .params(error, SqlTimes.timestamp(retryAt), SqlTimes.timestamp(retryAt), id)
                .update();
    }

    List<String> due(Instant now, int limit) {
        return jdbc.sql("SELECT id FROM messaging.mails WHERE status = 'queued' AND next_attempt_at <= ?"
                        + " ORDER BY next_attempt_at LIMIT ?")
                .params(Timestamp.from(now), limit)
                .query(String.class)
                .list();
    }

    Optional<Mail> find(ProjectId project, String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM messaging.mails WHERE project_id = ? AND id = ?")
                .params(project.value(), id)
                .query(Mails::map)
                .optional();
    }

    List<Mail> list(ProjectId project, SqlFilters where, Paging paging) {
        return where.bind(paging.select(jdbc, COLUMNS, "messaging.mails", project, where.sql(), true))
                .query(Mails::map)
                .list();
    }

    long count(ProjectId project, SqlFilters where) {
        return where.bind(Paging.count(jdbc, "messaging.mails", project, where.sql()))
                .query(Long.class)
                .single();
    }

    private static Mail map(ResultSet rs, int row) throws SQLException {
        return new Mail(
                rs.getString("id"),
                rs.getString("to_address"),
                rs.getString("subject"),
                rs.getString("text_body"),
                rs.getString("html_body"),
                rs.getString("purpose"),
                rs.getString("reference_id"),
                rs.getString("status"),
                rs.getInt("attempts"),
                rs.getString("error"),
                rs.getTimestamp("created_at").toInstant(),
                SqlTimes.instant(rs.getTimestamp("sent_at")));
    }
}
