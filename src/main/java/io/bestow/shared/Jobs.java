package io.bestow.shared;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import java.time.Instant;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** One-time jobs on the persistent scheduler. */
public final class Jobs {

    private Jobs() {}

    /**
     * Schedules a one-time job (unless one with its id exists) to run at once, on whichever node takes it first. The
     * scheduler looks for due jobs as soon as one is scheduled, but inside a transaction the job's row is not committed
     * yet, so it is asked to look again after the commit instead of at its next poll, seconds later. Due at the
     * earliest instant rather than now, so that it is due by whatever clock the scheduler keeps.
     */
    public static void runSoon(SchedulerClient scheduler, TaskInstance<?> job) {
        scheduler.scheduleIfNotExists(job, Instant.EPOCH);
        if (scheduler instanceof Scheduler local && TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    local.triggerCheckForDueExecutions();
                }
            });
        }
    }
}
