package io.bestow.journeys;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.bestow.customers.Customer;
import io.bestow.customers.CustomerManagement;
import io.bestow.shared.ApiException;
import io.bestow.shared.Ids;
import io.bestow.shared.ProjectEvent;
import io.bestow.shared.ProjectId;
import io.bestow.tasks.Task;
import io.bestow.tasks.TaskManagement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs participants: takes batches of due participants of active programs (a lease per batch, so that every node
 * can work and none runs what another holds), walks each as far as it goes, and writes the batch back in one
 * transaction together with the steps that change data (tasks, gifts, codes, messages, customer fields), so that such
 * a step and the participant's move past it commit together or not at all. API calls happen outside the transaction
 * with an idempotency key per participant and step; one repeated after a crash is answered from the call log.
 */
@Component
class Running implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Running.class);
    /**
     * How many local steps in a row a batch's transaction runs before it commits: a walk goes on from a local step in
     * the same transaction up to its next API call, its end, a wait, or this many local steps.
     */
    private static final int MAX_LOCAL_ROUNDS = 20;

    private final Participants participants;
    private final Versions versions;
    private final Steps steps;
    private final TaskManagement tasks;
    private final CustomerManagement customers;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transaction;
    private final TransactionTemplate savepoint;
    private final Clock clock;
    private final int batch;
    private final int workers;
    private final Duration lease;
    private final AtomicInteger loops = new AtomicInteger();
    private volatile ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean running;

    Running(
            Participants participants,
            Versions versions,
            Steps steps,
            TaskManagement tasks,
            CustomerManagement customers,
            ApplicationEventPublisher events,
            PlatformTransactionManager transactions,
            Clock clock,
            @Value("${bestow.journeys.batch:200}") int batch,
            @Value("${bestow.journeys.workers:4}") int workers,
            @Value("${bestow.journeys.lease:5m}") Duration lease) {
        this.participants = participants;
        this.versions = versions;
        this.steps = steps;
        this.tasks = tasks;
        this.customers = customers;
        this.events = events;
        this.transaction = new TransactionTemplate(transactions);
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.clock = clock;
        this.batch = batch;
        this.workers = workers;
        this.lease = lease;
    }

    /** Runs due participants soon, on up to {@code workers} loops of this node. */
    void wake() {
        while (running) {
            int now = loops.get();
            if (now >= workers) {
                return;
            }
            if (loops.compareAndSet(now, now + 1)) {
                try {
                    executor.execute(this::drain);
                } catch (RuntimeException e) {
                    loops.decrementAndGet();
                }
                return;
            }
        }
    }

    /** Wakes the runners once the current transaction commits (or now, outside one). */
    void wakeAfterCommit() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            wake();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                wake();
            }
        });
    }

    private void drain() {
        try {
            while (running) {
                var token = Ids.generate("lease");
                var now = clock.instant();
                var claimed = participants.claim(now, now.plus(lease), token, batch);
                if (claimed.isEmpty()) {
                    return;
                }
                if (claimed.size() == batch) {
                    wake();
                }
                run(claimed, token);
            }
        } catch (RuntimeException e) {
            if (running) {
                log.warn("Running program participants failed; the sweep tries again", e);
            }
        } finally {
            loops.decrementAndGet();
        }
    }

    /** Walks a claimed batch to where each participant stops, writing back after each round of local steps. */
    void run(List<Participants.Claimed> claimed, String token) {
        var walks = new ArrayList<Walk>(claimed.size());
        var byProject = claimed.stream().collect(Collectors.groupingBy(Participants.Claimed::project));
        for (var entry : byProject.entrySet()) {
            var found = customers.customersByIds(
                    entry.getKey(),
                    entry.getValue().stream()
                            .map(Participants.Claimed::customerId)
                            .distinct()
                            .toList());
            for (var participant : entry.getValue()) {
                var definition = versions.definition(participant.programId(), participant.version());
                walks.add(new Walk(participant, definition, found.get(participant.customerId())));
            }
        }
        var pending = walks;
        while (!pending.isEmpty() && running) {
            advance(pending);
            write(pending, token);
            pending = new ArrayList<>(pending.stream().filter(Walk::runnable).toList());
        }
    }

    /** Advances every walk as far as it goes on its own, side by side (API calls wait on the network). */
    private void advance(List<Walk> walks) {
        var runnable = walks.stream().filter(Walk::runnable).toList();
        if (runnable.size() == 1) {
            runnable.getFirst().advance(steps, clock);
            return;
        }
        try (var side = Executors.newVirtualThreadPerTaskExecutor()) {
            runnable.forEach(walk -> side.execute(() -> walk.advance(steps, clock)));
        }
    }

    /**
     * Writes the walks back in one transaction with the local steps they stopped at, and whatever follows those up to
     * the next API call; when that fails, each walk on its own, so that one participant's trouble does not hold the
     * others back.
     */
    private void write(List<Walk> walks, String token) {
        var snapshots = walks.stream().map(Walk::snapshot).toList();
        try {
            transaction.executeWithoutResult(status -> writeInTransaction(walks, token));
            return;
        } catch (RuntimeException e) {
            if (walks.size() == 1) {
                restore(walks, snapshots);
                log.warn(
                        "Writing back participant {} failed; it runs again after its lease",
                        walks.getFirst().claimed.id(),
                        e);
                walks.getFirst().parked = true;
                return;
            }
            restore(walks, snapshots);
        }
        for (var walk : walks) {
            write(List.of(walk), token);
        }
    }

    private static void restore(List<Walk> walks, List<Walk.Snapshot> snapshots) {
        for (int i = 0; i < walks.size(); i++) {
            walks.get(i).restore(snapshots.get(i));
        }
    }

    private void writeInTransaction(List<Walk> walks, String token) {
        var now = clock.instant();
        var held = participants.hold(walks.stream().map(w -> w.claimed.id()).toList(), token);
        var mine = new ArrayList<Walk>();
        for (var walk : walks) {
            if (held.contains(walk.claimed.id())) {
                mine.add(walk);
            } else {
                // Its lease ran out and another node took it over: that node writes it.
                walk.parked = true;
                walk.pendingLocal = null;
            }
        }
        List<Walk> atLocalSteps = mine;
        for (int round = 0; round < MAX_LOCAL_ROUNDS && !atLocalSteps.isEmpty(); round++) {
            createTasks(atLocalSteps, now);
            for (var walk : atLocalSteps) {
                if (walk.pendingLocal != null) {
                    runLocal(walk, now);
                }
                if (walk.runnable()) {
                    walk.advanceWithoutCalls(steps, clock);
                }
            }
            atLocalSteps = atLocalSteps.stream()
                    .filter(walk -> walk.pendingLocal != null)
                    .toList();
        }
        // Past the cap, the rest find their local step again in the batch's next round.
        atLocalSteps.forEach(walk -> walk.pendingLocal = null);
        var progress = new ArrayList<Participants.Progress>();
        var lines = new ArrayList<Participants.Line>();
        var announced = new ArrayList<ProjectEvent>();
        var finishedByProject = new LinkedHashMap<ProjectId, List<Walk>>();
        for (var walk : mine) {
            progress.add(walk.progress(now));
            lines.addAll(walk.lines);
            announced.addAll(walk.events);
            walk.lines.clear();
            walk.events.clear();
            if (walk.finished() && walk.initialCustomer != null) {
                finishedByProject
                        .computeIfAbsent(walk.claimed.project(), key -> new ArrayList<>())
                        .add(walk);
            }
        }
        participants.record(lines);
        participants.save(progress, token, now);
        finishedByProject.forEach((project, finished) -> timeline(project, finished));
        if (announced.size() == 1) {
            events.publishEvent(announced.getFirst());
        } else if (!announced.isEmpty()) {
            events.publishEvent(new ParticipantsAdvanced(announced));
        }
    }

    /** Every walk stopped at a create_task step gets its task, all with one statement. */
    private void createTasks(List<Walk> walks, Instant now) {
        var creating = new ArrayList<Walk>();
        var drafts = new HashMap<ProjectId, List<Task.Draft>>();
        for (var walk : walks) {
            if (walk.pendingLocal instanceof Definition.CreateTask step) {
                try {
                    var draft = steps.task(
                            step, walk.customer, walk.variables(), walk.claimed.programId(), walk.claimed.id(), now);
                    drafts.computeIfAbsent(walk.claimed.project(), key -> new ArrayList<>())
                            .add(draft);
                    creating.add(walk);
                } catch (ApiException e) {
                    walk.localFailed(e.getMessage(), now);
                }
            }
        }
        if (creating.isEmpty()) {
            return;
        }
        var created = new HashMap<String, Task>();
        drafts.forEach((project, list) ->
                tasks.createAll(project, list).forEach(task -> created.put(task.participantId(), task)));
        for (var walk : creating) {
            var task = created.get(walk.claimed.id());
            walk.localSucceeded(Map.of("task_id", task.id()), now);
        }
    }

    /** Runs a local step inside a savepoint: a refusal rolls back only the step and fails it. */
    private void runLocal(Walk walk, Instant now) {
        var step = walk.pendingLocal;
        var project = walk.claimed.project();
        var customer = walk.customer;
        var variables = walk.variables();
        try {
            var outputs = savepoint.execute(status -> switch (step) {
                case Definition.SendGift gift ->
                    steps.sendGift(project, gift, customer, variables, walk.claimed.programId(), walk.claimed.id());
                case Definition.IssueCode code ->
                    steps.issueCode(project, code, customer, walk.claimed.programId(), walk.claimed.id());
                case Definition.SendMessage message ->
                    steps.sendMessage(project, message, variables, walk.claimed.id());
                case Definition.UpdateCustomer update -> steps.updateCustomer(project, update, customer, variables);
                default -> throw new IllegalStateException("Not a local step: " + step.type());
            });
            if (step instanceof Definition.UpdateCustomer) {
                walk.customer = customers.findCustomer(project, customer.id()).orElse(customer);
            }
            walk.localSucceeded(outputs, now);
        } catch (ApiException e) {
            walk.localFailed(e.getMessage(), now);
        }
    }

    private void timeline(ProjectId project, List<Walk> finished) {
        var byName = finished.stream().collect(Collectors.groupingBy(walk -> "program." + walk.status));
        byName.forEach((name, walks) -> customers.recordActivities(
                project,
                walks.stream().map(walk -> (Customer) walk.customer).toList(),
                "program",
                name,
                walks.stream()
                        .map(walk -> {
                            var data = new LinkedHashMap<String, Object>();
                            data.put("program_id", walk.claimed.programId());
                            data.put("participant_id", walk.claimed.id());
                            data.put("version", walk.claimed.version());
                            if (walk.error != null) {
                                data.put("error", walk.error);
                            }
                            return (Map<String, Object>) data;
                        })
                        .toList()));
    }

    @Override
    public void start() {
        if (executor.isShutdown()) {
            executor = Executors.newVirtualThreadPerTaskExecutor();
        }
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Configuration(proxyBeanMethods = false)
    static class Sweep {

        /** Runs what is due (waits that ended, retries, other nodes' expired leases) every {@code sweep}. */
        @Bean
        RecurringTask<Void> runProgramParticipants(
                Running running, @Value("${bestow.journeys.sweep:2s}") Duration every) {
            return Tasks.recurring("run-program-participants", FixedDelay.of(every))
                    .execute((instance, context) -> running.wake());
        }
    }
}
