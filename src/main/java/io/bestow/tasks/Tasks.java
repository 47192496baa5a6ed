package io.bestow.tasks;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.bestow.shared.SqlFilters;
import io.bestow.shared.SqlTimes;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The tasks table. */
@Repository
class Tasks {

    private static final String COLUMNS = "id, title, description, customer_id, assignee, due_at, status, origin,"
            + " program_id, participant_id, metadata::text AS metadata, created_at, updated_at, closed_at";

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final JsonMapper json;

    Tasks(JdbcClient jdbc, JdbcTemplate template, JsonMapper json) {
        this.jdbc = jdbc;
        this.template = template;
        this.json = json;
    }

    /** Inserts every task with one statement. */
    void insertAll(ProjectId project, List<Task> tasks) {
        int size = tasks.size();
        var ids = new String[size];
        var titles = new String[size];
        var descriptions = new String[size];
        var customers = new String[size];
        var assignees = new String[size];
        var dues = new Timestamp[size];
        var origins = new String[size];
        var programs = new String[size];
        var participants = new String[size];
        var metadata = new String[size];
        var created = new Timestamp[size];
        for (int i = 0; i < size; i++) {
            var task = tasks.get(i);
            ids[i] = task.id();
            titles[i] = task.title();
            descriptions[i] = task.description();
            customers[i] = task.customerId();
            assignees[i] = task.assignee();
            dues[i] = SqlTimes.timestamp(task.dueAt());
            origins[i] = task.origin();
            programs[i] = task.programId();
            participants[i] = task.participantId();
            metadata[i] = json.writeValueAsString(task.metadata());
            created[i] = Timestamp.from(task.createdAt());
        }
        template.update(con -> {
            var statement = con.prepareStatement("""
                    INSERT INTO tasks.tasks (id, project_id, title, description, customer_id, assignee, due_at, status,
                        origin, program_id, participant_id, metadata, created_at, updated_at)
                    SELECT id, ?, title, description, customer_id, assignee, due_at, 'open', origin, program_id,
                           participant_id, CAST(metadata AS jsonb), created_at, created_at
                    FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::text[],
                                ?::text[], ?::text[], ?::text[], ?::timestamptz[])
                        AS t(id, title, description, customer_id, assignee, due_at, origin, program_id, participant_id,
                             metadata, created_at)
                    """);
            statement.setString(1, project.value());
            statement.setArray(2, con.createArrayOf("text", ids));
            statement.setArray(3, con.createArrayOf("text", titles));
            statement.setArray(4, con.createArrayOf("text", descriptions));
            statement.setArray(5, con.createArrayOf("text", customers));
            statement.setArray(6, con.createArrayOf("text", assignees));
            statement.setArray(7, con.createArrayOf("timestamptz", dues));
            statement.setArray(8, con.createArrayOf("text", origins));
            statement.setArray(9, con.createArrayOf("text", programs));
            statement.setArray(10, con.createArrayOf("text", participants));
            statement.setArray(11, con.createArrayOf("text", metadata));
            statement.setArray(12, con.createArrayOf("timestamptz", created));
            return statement;
        });
    }

    Optional<Task> find(ProjectId project, String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM tasks.tasks WHERE project_id = ? AND id = ?")
                .params(project.value(), id)
                .query(this::map)
                .optional();
    }

    /** Changes the open task's fields; empty when it is not open (or not there). */
    Optional<Task> update(
            ProjectId project,
            String id,
            String title,
            @Nullable String description,
            @Nullable String assignee,
            @Nullable Instant dueAt,
            Instant now) {
        return jdbc.sql("UPDATE tasks.tasks SET title = ?, description = ?, assignee = ?, due_at = ?, updated_at = ?"
                        + " WHERE project_id = ? AND id = ? AND status = 'open' RETURNING " + COLUMNS)
                .params(
                        title,
                        description,
                        assignee,
                        SqlTimes.timestamp(dueAt),
                        Timestamp.from(now),
                        project.value(),
                        id)
                .query(this::map)
                .optional();
    }

    /** Closes an open task; empty when it is already closed (or not there). */
    Optional<Task> close(ProjectId project, String id, String status, Instant now) {
        return jdbc.sql("UPDATE tasks.tasks SET status = ?, closed_at = ?, updated_at = ?"
                        + " WHERE project_id = ? AND id = ? AND status = 'open' RETURNING " + COLUMNS)
                .params(status, Timestamp.from(now), Timestamp.from(now), project.value(), id)
                .query(this::map)
                .optional();
    }

    List<Task> list(ProjectId project, SqlFilters where, Paging paging) {
        return where.bind(paging.select(jdbc, COLUMNS, "tasks.tasks", project, where.sql(), true))
                .query(this::map)
                .list();
    }

    long count(ProjectId project, SqlFilters where) {
        return where.bind(Paging.count(jdbc, "tasks.tasks", project, where.sql()))
                .query(Long.class)
                .single();
    }

    private Task map(ResultSet rs, int row) throws SQLException {
        return new Task(
                rs.getString("id"),
                rs.getString("title"),
                rs.getString("description"),
                rs.getString("customer_id"),
                rs.getString("assignee"),
                SqlTimes.instant(rs.getTimestamp("due_at")),
                rs.getString("status"),
                rs.getString("origin"),
                rs.getString("program_id"),
                rs.getString("participant_id"),
                json.readValue(rs.getString("metadata"), new TypeReference<Map<String, Object>>() {}),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                SqlTimes.instant(rs.getTimestamp("closed_at")));
    }
}
