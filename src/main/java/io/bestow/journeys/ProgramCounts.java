package io.bestow.journeys;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * A program's figures: how many participants are in each status and how often each step ended each way. Every
 * statement of {@link Participants} that enters, moves or records participants adds its changes to
 * {@code journeys.program_counts} itself, so reading the figures sums a few rows instead of counting a large
 * program's participants and history; a sweep folds each program's rows into one per figure now and then.
 */
@Repository
class ProgramCounts {

    private static final List<String> STATUSES = List.of("active", "waiting", "completed", "failed", "exited");

    /** A program with more rows than this has them folded by the next sweep. */
    private static final int FOLD_ABOVE = 50;

    private final JdbcClient jdbc;

    ProgramCounts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** How many participants the program has in each status, and for each step how often each outcome happened. */
    Figures figures(String programId) {
        var statuses = new LinkedHashMap<String, Long>();
        STATUSES.forEach(status -> statuses.put(status, 0L));
        var steps = new LinkedHashMap<String, Map<String, Long>>();
        jdbc.sql("""
                        SELECT status, step, outcome, sum(n) AS n FROM journeys.program_counts WHERE program_id = ?
                        GROUP BY status, step, outcome ORDER BY step, outcome
                        """).param(programId).query(rs -> {
            long n = rs.getLong("n");
            var status = rs.getString("status");
            if (status != null) {
                statuses.put(status, n);
            } else if (n != 0) {
                steps.computeIfAbsent(rs.getString("step"), key -> new LinkedHashMap<>())
                        .put(rs.getString("outcome"), n);
            }
        });
        return new Figures(statuses, steps);
    }

    record Figures(Map<String, Long> statuses, Map<String, Map<String, Long>> steps) {}

    /**
     * Folds the rows of every program that has more than {@code above} into one row per figure, in one statement:
     * what it deletes is exactly what it sums, so a read sees the same figures before and after, and rows added
     * meanwhile stay.
     */
    int fold(int above) {
        return jdbc.sql("""
                        WITH folded AS (
                            DELETE FROM journeys.program_counts WHERE program_id IN (
                                SELECT program_id FROM journeys.program_counts
                                GROUP BY program_id HAVING count(*) > ?)
                            RETURNING program_id, status, step, outcome, n
                        )
                        INSERT INTO journeys.program_counts (program_id, status, step, outcome, n)
                        SELECT program_id, status, step, outcome, sum(n) FROM folded
                        GROUP BY program_id, status, step, outcome HAVING sum(n) <> 0
                        """).param(above).update();
    }

    @Configuration(proxyBeanMethods = false)
    static class Folding {

        @Bean
        RecurringTask<Void> foldProgramCounts(
                ProgramCounts counts, @Value("${bestow.journeys.fold-counts:10s}") Duration every) {
            return Tasks.recurring("fold-program-counts", FixedDelay.of(every))
                    .execute((instance, context) -> counts.fold(FOLD_ABOVE));
        }
    }
}
