package io.bestow.shared;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.MDC;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records long-running jobs and their progress. The module that owns a job runs it (as a db-scheduler task) and
 * reports progress here, ideally in the same transaction as the work, so that progress never runs ahead of it.
 */
@Component
public class AsyncActions {

    private static final String COLUMNS = "id, project_id, type, status, progress, rows_done, rows_failed,"
            + " result::text AS result, request_id, created_at, updated_at, started_at, finished_at";

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;

    AsyncActions(JdbcClient jdbc, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    public AsyncAction create(ProjectId project, String type) {
        var now = clock.instant();
        var action = new AsyncAction(
                Ids.generate("aa"),
                project,
                type,
                AsyncAction.Status.ENQUEUED,
                0,
                0,
                0,
                Map.of(),
                MDC.get(ApiError.REQUEST_ID),
                now,
                now,
                null,
                null);
        jdbc.sql("""
                        INSERT INTO shared.async_actions (id, project_id, type, status, request_id, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """)
                .params(
                        action.id(),
                        project.value(),
                        type,
                        action.status().name(),
                        action.requestId(),
                        Timestamp.from(now),
                        Timestamp.from(now))
                .update();
        return action;
    }

    public Optional<AsyncAction> find(ProjectId project, String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM shared.async_actions WHERE project_id = ? AND id = ?")
                .params(project.value(), id)
                .query(this::map)
                .optional();
    }

    /** The job by id alone, for the task that runs it. */
    public Optional<AsyncAction> find(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM shared.async_actions WHERE id = ?")
                .param(id)
                .query(this::map)
                .optional();
    }

    public List<AsyncAction> list(ProjectId project, Paging paging) {
        return paging.select(jdbc, COLUMNS, "shared.async_actions", project, "", true)
                .query(this::map)
                .list();
    }

    public long count(ProjectId project) {
        return jdbc.sql("SELECT count(*) FROM shared.async_actions WHERE project_id = ?")
                .param(project.value())
                .query(Long.class)
                .single();
    }

    /** Marks the job as running (again, after a restart) and returns it. */
    public AsyncAction start(String id) {
        var now = Timestamp.from(clock.instant());
        jdbc.sql("""
                        UPDATE shared.async_actions SET status = 'IN_PROGRESS', updated_at = ?, started_at = coalesce(started_at, ?)
                        WHERE id = ? AND status IN ('ENQUEUED', 'IN_PROGRESS')
                        """).params(now, now, id).update();
        return find(id).orElseThrow();
    }

    public void progress(String id, long rowsDone, long rowsFailed, int percent, Map<String, Object> result) {
        jdbc.sql("""
                        UPDATE shared.async_actions SET rows_done = ?, rows_failed = ?, progress = ?,
                            result = CAST(? AS jsonb), updated_at = ?
                        WHERE id = ?
                        """)
                .params(
                        rowsDone,
                        rowsFailed,
                        percent,
                        json.writeValueAsString(result),
                        Timestamp.from(clock.instant()),
                        id)
                .update();
    }

    /**
     * Counts {@code rows} more rows done out of {@code total}, for jobs whose parts run in parallel, each reporting in
     * its own transaction; the result stays as it is.
     */
    public void advance(String id, long rows, long total) {
        jdbc.sql("""
                        UPDATE shared.async_actions SET rows_done = rows_done + :rows,
                            progress = least(99, (rows_done + :rows) * 100 / greatest(:total, 1)), updated_at = :now
                        WHERE id = :id
                        """)
                .param("rows", rows)
                .param("total", total)
                .param("now", Timestamp.from(clock.instant()))
                .param("id", id)
                .update();
    }

    public void finish(String id, AsyncAction.Status status, Map<String, Object> result) {
        var now = Timestamp.from(clock.instant());
        jdbc.sql("""
                        UPDATE shared.async_actions SET status = ?, progress = CASE WHEN ? = 'DONE' THEN 100 ELSE progress END,
                            result = CAST(? AS jsonb), updated_at = ?, finished_at = ?
                        WHERE id = ?
                        """)
                .params(status.name(), status.name(), json.writeValueAsString(result), now, now, id)
                .update();
    }

    @SuppressWarnings("unchecked")
    private AsyncAction map(ResultSet rs, int row) throws SQLException {
        return new AsyncAction(
                rs.getString("id"),
                new ProjectId(rs.getString("project_id")),
                rs.getString("type"),
                AsyncAction.Status.valueOf(rs.getString("status")),
                rs.getInt("progress"),
                rs.getLong("rows_done"),
                rs.getLong("rows_failed"),
                json.readValue(rs.getString("result"), LinkedHashMap.class),
                rs.getString("request_id"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                SqlTimes.instant(rs.getTimestamp("started_at")),
                SqlTimes.instant(rs.getTimestamp("finished_at")));
    }
}
