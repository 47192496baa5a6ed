package io.bestow.journeys;

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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The programs table and their published versions. */
@Repository
class Programs {

    private static final String COLUMNS = "id, name, description, status, version, definition::text AS definition,"
            + " created_at, updated_at, published_at,"
            + " (version IS NOT NULL AND definition IS DISTINCT FROM (SELECT v.definition FROM journeys.versions v"
            + " WHERE v.program_id = programs.id AND v.version = programs.version)) AS draft_changed";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    Programs(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(
            ProjectId project,
            String id,
            String name,
            @Nullable String description,
            JsonNode definition,
            String triggerType,
            Instant now) {
        jdbc.sql("""
                        INSERT INTO journeys.programs (id, project_id, name, description, status, definition, trigger_type,
                            created_at, updated_at)
                        VALUES (?, ?, ?, ?, 'draft', CAST(? AS jsonb), ?, ?, ?)
                        """)
                .params(
                        id,
                        project.value(),
                        name,
                        description,
                        json.writeValueAsString(definition),
                        triggerType,
                        Timestamp.from(now),
                        Timestamp.from(now))
                .update();
    }

    void updateDraft(
            ProjectId project, String id, String name, @Nullable String description, JsonNode definition, Instant now) {
        jdbc.sql("""
                        UPDATE journeys.programs SET name = ?, description = ?, definition = CAST(? AS jsonb), updated_at = ?
                        WHERE project_id = ? AND id = ?
                        """)
                .params(
                        name,
                        description,
                        json.writeValueAsString(definition),
                        Timestamp.from(now),
                        project.value(),
                        id)
                .update();
    }

    Optional<Program> find(ProjectId project, String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM journeys.programs WHERE project_id = ? AND id = ?")
                .params(project.value(), id)
                .query(this::map)
                .optional();
    }

    /** The program's row locked for a lifecycle change. */
    Optional<Program> lock(ProjectId project, String id) {
        return jdbc.sql("SELECT " + COLUMNS
                        + " FROM journeys.programs WHERE project_id = ? AND id = ? FOR NO KEY UPDATE")
                .params(project.value(), id)
                .query(this::map)
                .optional();
    }

    List<Program> list(ProjectId project, SqlFilters where, Paging paging) {
        return where.bind(paging.select(jdbc, COLUMNS, "journeys.programs", project, where.sql(), true))
                .query(this::map)
                .list();
    }

    long count(ProjectId project, SqlFilters where) {
        return where.bind(Paging.count(jdbc, "journeys.programs", project, where.sql()))
                .query(Long.class)
                .single();
    }

    /** Deletes the program with its versions, participants, their history and its figures. */
    boolean delete(ProjectId project, String id) {
        jdbc.sql("DELETE FROM journeys.history WHERE project_id = ? AND program_id = ?")
                .params(project.value(), id)
                .update();
        jdbc.sql("DELETE FROM journeys.program_counts WHERE program_id = ?"
                        + " AND EXISTS (SELECT 1 FROM journeys.programs WHERE project_id = ? AND id = ?)")
                .params(id, project.value(), id)
                .update();
        return jdbc.sql("DELETE FROM journeys.programs WHERE project_id = ? AND id = ?")
                        .params(project.value(), id)
                        .update()
                == 1;
    }

    /** Stores the draft as the next version and makes it the published one. */
    void publish(
            ProjectId project,
            String id,
            int version,
            JsonNode definition,
            String triggerType,
            @Nullable Instant nextFire,
            Instant now) {
        jdbc.sql("""
                        INSERT INTO journeys.versions (program_id, version, project_id, definition, published_at)
                        VALUES (?, ?, ?, CAST(? AS jsonb), ?)
                        """)
                .params(id, version, project.value(), json.writeValueAsString(definition), Timestamp.from(now))
                .update();
        jdbc.sql("""
                        UPDATE journeys.programs SET version = ?, status = 'active', trigger_type = ?, next_fire_at = ?,
                            published_at = ?, updated_at = ?
                        WHERE project_id = ? AND id = ?
                        """)
                .params(
                        version,
                        triggerType,
                        SqlTimes.timestamp(nextFire),
                        Timestamp.from(now),
                        Timestamp.from(now),
                        project.value(),
                        id)
                .update();
    }

    void status(ProjectId project, String id, String status, Instant now) {
        jdbc.sql("UPDATE journeys.programs SET status = ?, updated_at = ? WHERE project_id = ? AND id = ?")
                .params(status, Timestamp.from(now), project.value(), id)
                .update();
    }

    Optional<JsonNode> version(String programId, int version) {
        return jdbc.sql("SELECT definition::text FROM journeys.versions WHERE program_id = ? AND version = ?")
                .params(programId, version)
                .query(String.class)
                .optional()
                .map(json::readTree);
    }

    /** The active programs of a project that a trigger of this type enters, with their published version. */
    List<Published> active(ProjectId project, String triggerType) {
        return jdbc.sql("""
                        SELECT id, name, version FROM journeys.programs
                        WHERE project_id = ? AND status = 'active' AND trigger_type = ?
                        """)
                .params(project.value(), triggerType)
                .query((rs, row) ->
                        new Published(project, rs.getString("id"), rs.getString("name"), rs.getInt("version")))
                .list();
    }

    /** Active scheduled programs due to fire, locked so that one node fires each. */
    List<Published> dueSchedules(Instant now, int limit) {
        return jdbc.sql("""
                        SELECT project_id, id, name, version FROM journeys.programs
                        WHERE status = 'active' AND next_fire_at <= ? ORDER BY next_fire_at LIMIT ?
                        FOR NO KEY UPDATE SKIP LOCKED
                        """)
                .params(Timestamp.from(now), limit)
                .query((rs, row) -> new Published(
                        new ProjectId(rs.getString("project_id")),
                        rs.getString("id"),
                        rs.getString("name"),
                        rs.getInt("version")))
                .list();
    }

    void nextFire(String id, @Nullable Instant at) {
        jdbc.sql("UPDATE journeys.programs SET next_fire_at = ? WHERE id = ?")
                .params(SqlTimes.timestamp(at), id)
                .update();
    }

    /** The hour being filled under max_participants_per_hour and how many it holds, with the row locked. */
    Admission admission(String id) {
        return jdbc.sql("SELECT admission_slot, admission_count FROM journeys.programs WHERE id = ? FOR NO KEY UPDATE")
                .param(id)
                .query((rs, row) -> new Admission(
                        SqlTimes.instant(rs.getTimestamp("admission_slot")), rs.getInt("admission_count")))
                .single();
    }

    void admitted(String id, Instant slot, int count) {
        jdbc.sql("UPDATE journeys.programs SET admission_slot = ?, admission_count = ? WHERE id = ?")
                .params(Timestamp.from(slot), count, id)
                .update();
    }

    /** A published program: what entering needs to know of it. */
    record Published(ProjectId project, String id, String name, int version) {}

    record Admission(@Nullable Instant slot, int count) {}

    private Program map(ResultSet rs, int row) throws SQLException {
        return new Program(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("description"),
                rs.getString("status"),
                rs.getObject("version", Integer.class),
                rs.getBoolean("draft_changed"),
                json.readValue(rs.getString("definition"), new TypeReference<Map<String, Object>>() {}),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                SqlTimes.instant(rs.getTimestamp("published_at")));
    }
}
