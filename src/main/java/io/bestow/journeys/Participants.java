package io.bestow.journeys;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.bestow.shared.SqlTimes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The participants of programs and their history. A participant row is also its own work item: due at
 * {@code next_run_at}, taken by one node at a time with a lease ({@code lease_token}), and written back only by the
 * node whose lease it still is.
 */
@Repository
class Participants {

    private static final String COLUMNS =
            "p.id, p.project_id, p.program_id, p.version, p.customer_id, p.entry, p.status,"
                    + " p.step, p.attempts, p.next_run_at, p.error, p.entered_at, p.updated_at, p.finished_at";

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final JsonMapper json;

    Participants(JdbcClient jdbc, JdbcTemplate template, JsonMapper json) {
        this.jdbc = jdbc;
        this.template = template;
        this.json = json;
    }

    /** A customer to enter, with the variables it starts with (the entering event) and when it first runs. */
    record Entrant(String id, String customerId, Map<String, Object> variables, Instant runAt) {}

    /**
     * Enters customers into a version of a program with one statement, each with an {@code entered} history row:
     * once ever, or (with re-entry) once more after each finished participation, never twice at a time, and (when
     * {@code since} is given) not if they entered at or after it. Answers who entered; the others were already in.
     */
    List<Entrant> enter(
            ProjectId project,
            Programs.Published program,
            String start,
            List<Entrant> entrants,
            boolean reEntry,
            @Nullable Instant since,
            Instant now) {
        if (entrants.isEmpty()) {
            return List.of();
        }
        int size = entrants.size();
        var ids = new String[size];
        var customers = new String[size];
        var variables = new String[size];
        var runAt = new Timestamp[size];
        var byId = new LinkedHashMap<String, Entrant>();
        for (int i = 0; i < size; i++) {
            var entrant = entrants.get(i);
            ids[i] = entrant.id();
            customers[i] = entrant.customerId();
            variables[i] = json.writeValueAsString(entrant.variables());
            runAt[i] = Timestamp.from(entrant.runAt());
            byId.put(entrant.id(), entrant);
        }
        var entered = template.query(
                con -> {
                    var statement = con.prepareStatement("""
                            WITH entered AS (
                                INSERT INTO journeys.participants (id, project_id, program_id, version, customer_id, entry,
                                    status, step, variables, next_run_at, entered_at, updated_at)
                                SELECT t.id, ?, ?, ?, t.customer_id,
                                       CASE WHEN ? THEN COALESCE((SELECT max(x.entry) FROM journeys.participants x
                                           WHERE x.program_id = ? AND x.customer_id = t.customer_id), 0) + 1 ELSE 1 END,
                                       'active', ?, CAST(t.variables AS jsonb), t.run_at, ?, ?
                                FROM unnest(?::text[], ?::text[], ?::text[], ?::timestamptz[])
                                    AS t(id, customer_id, variables, run_at)
                                WHERE CAST(? AS timestamptz) IS NULL OR NOT EXISTS (
                                    SELECT 1 FROM journeys.participants x WHERE x.program_id = ?
                                    AND x.customer_id = t.customer_id AND x.entered_at >= CAST(? AS timestamptz))
                                ON CONFLICT DO NOTHING
                                RETURNING id
                            ), history AS (
                                INSERT INTO journeys.history (project_id, program_id, participant_id, step, outcome,
                                    detail, created_at)
                                SELECT ?, ?, id, NULL, 'entered', jsonb_build_object('version', ?), ? FROM entered
                            ), counted AS (
                                INSERT INTO journeys.program_counts (program_id, status, n)
                                SELECT ?, 'active', count(*) FROM entered HAVING count(*) > 0
                            )
                            SELECT id FROM entered
                            """);
                    int i = 1;
                    statement.setString(i++, project.value());
                    statement.setString(i++, program.id());
                    statement.setInt(i++, program.version());
                    statement.setBoolean(i++, reEntry);
                    statement.setString(i++, program.id());
                    statement.setString(i++, start);
                    statement.setTimestamp(i++, Timestamp.from(now));
                    statement.setTimestamp(i++, Timestamp.from(now));
                    statement.setArray(i++, con.createArrayOf("text", ids));
                    statement.setArray(i++, con.createArrayOf("text", customers));
                    statement.setArray(i++, con.createArrayOf("text", variables));
                    statement.setArray(i++, con.createArrayOf("timestamptz", runAt));
                    statement.setTimestamp(i++, SqlTimes.timestamp(since));
                    statement.setString(i++, program.id());
                    statement.setTimestamp(i++, SqlTimes.timestamp(since));
                    statement.setString(i++, project.value());
                    statement.setString(i++, program.id());
                    statement.setInt(i++, program.version());
                    statement.setTimestamp(i++, Timestamp.from(now));
                    statement.setString(i, program.id());
                    return statement;
                },
                (rs, row) -> rs.getString(1));
        return entered.stream().map(byId::get).toList();
    }

    /** A participant taken to run: where it is, with what, in which program version. */
    record Claimed(
            String id,
            ProjectId project,
            String programId,
            int version,
            String customerId,
            int entry,
            String status,
            String step,
            int attempts,
            Map<String, Object> variables,
            Instant enteredAt) {}

    /**
     * Takes up to {@code limit} due participants of active programs that no node holds, leasing them to
     * {@code token} until {@code leaseUntil}: the longest due first, program by program, the programs in random order
     * so that one program's backlog does not hold the others back.
     */
    List<Claimed> claim(Instant now, Instant leaseUntil, String token, int limit) {
        return jdbc.sql("""
                        UPDATE journeys.participants p SET lease_until = :lease, lease_token = :token
                        WHERE p.id IN (
                            SELECT due.id
                            FROM (SELECT id FROM journeys.programs WHERE status = 'active' ORDER BY random()) g
                            CROSS JOIN LATERAL (
                                SELECT d.id FROM journeys.participants d
                                WHERE d.program_id = g.id AND d.status IN ('active', 'waiting')
                                  AND d.next_run_at <= :now AND (d.lease_until IS NULL OR d.lease_until < :now)
                                ORDER BY d.next_run_at LIMIT :limit
                                FOR NO KEY UPDATE OF d SKIP LOCKED) due
                            LIMIT :limit)
                        RETURNING p.id, p.project_id, p.program_id, p.version, p.customer_id, p.entry, p.status, p.step,
                                  p.attempts, p.variables::text AS variables, p.entered_at
                        """)
                .param("lease", Timestamp.from(leaseUntil))
                .param("token", token)
                .param("now", Timestamp.from(now))
                .param("limit", limit)
                .query((rs, row) -> new Claimed(
                        rs.getString("id"),
                        new ProjectId(rs.getString("project_id")),
                        rs.getString("program_id"),
                        rs.getInt("version"),
                        rs.getString("customer_id"),
                        rs.getInt("entry"),
                        rs.getString("status"),
                        rs.getString("step"),
                        rs.getInt("attempts"),
                        json.readValue(rs.getString("variables"), new TypeReference<Map<String, Object>>() {}),
                        rs.getTimestamp("entered_at").toInstant()))
                .list();
    }

    /**
     * Locks the participants still leased to {@code token} for the rest of the transaction and answers which they
     * are: a node whose lease ran out (and was taken over) writes nothing for those.
     */
    Set<String> hold(List<String> ids, String token) {
        return new HashSet<>(jdbc.sql("SELECT id FROM journeys.participants WHERE id = ANY(?) AND lease_token = ?"
                        + " FOR NO KEY UPDATE")
                .params(ids.toArray(String[]::new), token)
                .query(String.class)
                .list());
    }

    /** Where a participant stands after a run: written back with one statement for a whole batch. */
    record Progress(
            String id,
            String status,
            @Nullable String step,
            Map<String, Object> variables,
            int attempts,
            @Nullable Instant nextRunAt,
            @Nullable String error,
            @Nullable Instant finishedAt,
            boolean release) {}

    /** Writes back the batch's progress and releases its leases. */
    void save(List<Progress> progress, String token, Instant now) {
        if (progress.isEmpty()) {
            return;
        }
        int size = progress.size();
        var ids = new String[size];
        var statuses = new String[size];
        var steps = new String[size];
        var variables = new String[size];
        var attempts = new Integer[size];
        var nextRuns = new Timestamp[size];
        var errors = new String[size];
        var finished = new Timestamp[size];
        var releases = new Boolean[size];
        for (int i = 0; i < size; i++) {
            var p = progress.get(i);
            ids[i] = p.id();
            statuses[i] = p.status();
            steps[i] = p.step();
            variables[i] = json.writeValueAsString(p.variables());
            attempts[i] = p.attempts();
            nextRuns[i] = SqlTimes.timestamp(p.nextRunAt());
            errors[i] = p.error();
            finished[i] = SqlTimes.timestamp(p.finishedAt());
            releases[i] = p.release();
        }
        template.update(con -> {
            var statement = con.prepareStatement("""
                    WITH saved AS (
                        UPDATE journeys.participants p
                        SET status = t.status, step = t.step, variables = CAST(t.variables AS jsonb),
                            attempts = t.attempts, next_run_at = t.next_run_at, error = t.error,
                            finished_at = t.finished_at, updated_at = ?,
                            lease_until = CASE WHEN t.release THEN NULL ELSE p.lease_until END,
                            lease_token = CASE WHEN t.release THEN NULL ELSE p.lease_token END
                        FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::timestamptz[], ?::text[],
                                    ?::timestamptz[], ?::boolean[])
                            AS t(id, status, step, variables, attempts, next_run_at, error, finished_at, release)
                        WHERE p.id = t.id AND p.lease_token = ?
                        RETURNING p.id, p.program_id, p.status
                    ), moves AS (
                        -- The statement sees the rows as they were before it (and this node holds them locked).
                        SELECT before.program_id, before.status, -1 AS n
                        FROM saved JOIN journeys.participants before ON before.id = saved.id
                        UNION ALL SELECT program_id, status, 1 FROM saved
                    )
                    INSERT INTO journeys.program_counts (program_id, status, n)
                    SELECT program_id, status, sum(n) FROM moves GROUP BY program_id, status HAVING sum(n) <> 0
                    """);
            statement.setTimestamp(1, Timestamp.from(now));
            statement.setArray(2, con.createArrayOf("text", ids));
            statement.setArray(3, con.createArrayOf("text", statuses));
            statement.setArray(4, con.createArrayOf("text", steps));
            statement.setArray(5, con.createArrayOf("text", variables));
            statement.setArray(6, con.createArrayOf("int4", attempts));
            statement.setArray(7, con.createArrayOf("timestamptz", nextRuns));
            statement.setArray(8, con.createArrayOf("text", errors));
            statement.setArray(9, con.createArrayOf("timestamptz", finished));
            statement.setArray(10, con.createArrayOf("boolean", releases));
            statement.setString(11, token);
            return statement;
        });
    }

    /** Gives the leases of participants back untouched, so that they run again as soon as they may. */
    void release(List<String> ids, String token) {
        jdbc.sql("UPDATE journeys.participants SET lease_until = NULL, lease_token = NULL"
                        + " WHERE id = ANY(?) AND lease_token = ?")
                .params(ids.toArray(String[]::new), token)
                .update();
    }

    /** One line of a participant's history. */
    record Line(
            ProjectId project,
            String programId,
            String participantId,
            @Nullable String step,
            @Nullable String stepType,
            String outcome,
            Map<String, Object> detail,
            Instant at) {}

    void record(List<Line> lines) {
        if (lines.isEmpty()) {
            return;
        }
        int size = lines.size();
        var projects = new String[size];
        var programs = new String[size];
        var participants = new String[size];
        var steps = new String[size];
        var types = new String[size];
        var outcomes = new String[size];
        var details = new String[size];
        var times = new Timestamp[size];
        for (int i = 0; i < size; i++) {
            var line = lines.get(i);
            projects[i] = line.project().value();
            programs[i] = line.programId();
            participants[i] = line.participantId();
            steps[i] = line.step();
            types[i] = line.stepType();
            outcomes[i] = line.outcome();
            details[i] = json.writeValueAsString(line.detail());
            times[i] = Timestamp.from(line.at());
        }
        template.update(con -> {
            var statement = con.prepareStatement("""
                    WITH line AS (
                        SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                                             ?::text[], ?::timestamptz[])
                            AS t(project_id, program_id, participant_id, step, step_type, outcome, detail, created_at)
                    ), written AS (
                        INSERT INTO journeys.history (project_id, program_id, participant_id, step, step_type,
                            outcome, detail, created_at)
                        SELECT project_id, program_id, participant_id, step, step_type, outcome, CAST(detail AS jsonb),
                               created_at
                        FROM line
                    )
                    INSERT INTO journeys.program_counts (program_id, step, outcome, n)
                    SELECT program_id, step, outcome, count(*) FROM line WHERE step IS NOT NULL
                    GROUP BY program_id, step, outcome
                    """);
            setArrays(con, statement, projects, programs, participants, steps, types, outcomes, details);
            statement.setArray(8, con.createArrayOf("timestamptz", times));
            return statement;
        });
    }

    private static void setArrays(Connection con, java.sql.PreparedStatement statement, String[]... arrays)
            throws SQLException {
        for (int i = 0; i < arrays.length; i++) {
            statement.setArray(i + 1, con.createArrayOf("text", arrays[i]));
        }
    }

    /** Ends every running participation of a stopped program; answers them as they ended. */
    List<Participant> exitAll(String programId, Instant now) {
        // Locked first, so that the statuses they leave are the ones they have (a runner may have just moved some).
        var leaving = jdbc.sql("""
                        SELECT id, status FROM journeys.participants
                        WHERE program_id = ? AND status IN ('active', 'waiting') FOR UPDATE
                        """)
                .param(programId)
                .query((rs, row) -> Map.entry(rs.getString("id"), rs.getString("status")))
                .list();
        if (leaving.isEmpty()) {
            return List.of();
        }
        var exited = jdbc.sql("""
                        UPDATE journeys.participants p SET status = 'exited', finished_at = ?, updated_at = ?,
                            next_run_at = NULL, lease_until = NULL, lease_token = NULL,
                            error = 'The program was stopped'
                        WHERE id = ANY(?)
                        RETURNING
                        """ + COLUMNS)
                .params(
                        Timestamp.from(now),
                        Timestamp.from(now),
                        leaving.stream().map(Map.Entry::getKey).toArray(String[]::new))
                .query((rs, row) -> map(rs))
                .list();
        var moves = new LinkedHashMap<String, Long>();
        leaving.forEach(participant -> moves.merge(participant.getValue(), -1L, Long::sum));
        moves.put(Participant.EXITED, (long) leaving.size());
        moves.forEach(
                (status, n) -> jdbc.sql("INSERT INTO journeys.program_counts (program_id, status, n) VALUES (?, ?, ?)")
                        .params(programId, status, n)
                        .update());
        return exited;
    }

    Optional<Participant> find(ProjectId project, String programId, String id) {
        return jdbc.sql("SELECT " + COLUMNS + ", p.variables::text AS variables FROM journeys.participants p"
                        + " WHERE p.project_id = ? AND p.program_id = ? AND p.id = ?")
                .params(project.value(), programId, id)
                .query((rs, row) -> map(rs).with(
                                json.readValue(rs.getString("variables"), new TypeReference<Map<String, Object>>() {}),
                                List.of()))
                .optional();
    }

    List<Map<String, Object>> history(String participantId) {
        return jdbc.sql("""
                        SELECT step, step_type, outcome, detail::text AS detail, created_at FROM journeys.history
                        WHERE participant_id = ? ORDER BY seq
                        """)
                .param(participantId)
                .query((rs, row) -> {
                    var line = new LinkedHashMap<String, Object>();
                    if (rs.getString("step") != null) {
                        line.put("step", rs.getString("step"));
                        line.put("type", rs.getString("step_type"));
                    }
                    line.put("outcome", rs.getString("outcome"));
                    line.put(
                            "detail",
                            json.readValue(rs.getString("detail"), new TypeReference<Map<String, Object>>() {}));
                    line.put("created_at", rs.getTimestamp("created_at").toInstant());
                    return (Map<String, Object>) line;
                })
                .list();
    }

    /** A page of a program's participants, newest first, filtered by status and customer. */
    List<Participant> list(
            ProjectId project, String programId, @Nullable String status, @Nullable String customerId, Paging paging) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM journeys.participants p WHERE p.project_id = :project"
                        + " AND p.program_id = :program"
                        + " AND (CAST(:status AS text) IS NULL OR p.status = :status)"
                        + " AND (CAST(:customer AS text) IS NULL OR p.customer_id = :customer)"
                        + " AND (CAST(:after AS text) IS NULL OR (p.entered_at, p.id) < (SELECT entered_at, id FROM"
                        + " journeys.participants WHERE program_id = :program AND id = :after))"
                        + " ORDER BY p.entered_at DESC, p.id DESC LIMIT :limit OFFSET :offset")
                .param("project", project.value())
                .param("program", programId)
                .param("status", status)
                .param("customer", customerId)
                .param("after", paging.startingAfter())
                .param("limit", paging.fetchSize())
                .param("offset", paging.offset())
                .query((rs, row) -> map(rs))
                .list();
    }

    long count(ProjectId project, String programId, @Nullable String status, @Nullable String customerId) {
        return jdbc.sql(
                        "SELECT count(*) FROM journeys.participants WHERE project_id = :project AND program_id = :program"
                                + " AND (CAST(:status AS text) IS NULL OR status = :status)"
                                + " AND (CAST(:customer AS text) IS NULL OR customer_id = :customer)")
                .param("project", project.value())
                .param("program", programId)
                .param("status", status)
                .param("customer", customerId)
                .query(Long.class)
                .single();
    }

    private static Participant map(ResultSet rs) throws SQLException {
        return new Participant(
                rs.getString("id"),
                rs.getString("program_id"),
                rs.getInt("version"),
                rs.getString("customer_id"),
                rs.getInt("entry"),
                rs.getString("status"),
                rs.getString("step"),
                rs.getInt("attempts"),
                SqlTimes.instant(rs.getTimestamp("next_run_at")),
                rs.getString("error"),
                rs.getTimestamp("entered_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                SqlTimes.instant(rs.getTimestamp("finished_at")),
                Map.of(),
                List.of());
    }
}
