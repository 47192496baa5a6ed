package io.bestow.journeys;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.bestow.customers.ActivityRecorded;
import io.bestow.customers.CustomEventTracked;
import io.bestow.customers.Customer;
import io.bestow.customers.CustomerManagement;
import io.bestow.customers.CustomerSegmentEntered;
import io.bestow.customers.MilestoneReached;
import io.bestow.customers.SegmentManagement;
import io.bestow.shared.AsyncAction;
import io.bestow.shared.AsyncActions;
import io.bestow.shared.EventMeta;
import io.bestow.shared.Expressions;
import io.bestow.shared.Ids;
import io.bestow.shared.Jobs;
import io.bestow.shared.ProjectEvent;
import io.bestow.shared.ProjectId;
import io.bestow.shared.RecentCache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Enters customers into programs: on the triggers that happen to one customer (a custom event, entering a segment,
 * reaching a milestone, a timeline entry) inside the transaction that records them, so an entry is never lost nor
 * made for something that did not happen; and in bulk for manual and scheduled programs, a thousand at a time.
 */
@Component
class Entering {

    static final String ENROLL_TASK = "enroll-program-participants";
    private static final int BULK = 1_000;

    private final Programs programs;
    private final Versions versions;
    private final Participants participants;
    private final CustomerManagement customers;
    private final SegmentManagement segments;
    private final AsyncActions asyncActions;
    private final ObjectProvider<SchedulerClient> scheduler;
    private final Running running;
    private final Expressions expressions;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transaction;
    private final JsonMapper json;
    private final Clock clock;
    private final RecentCache<String, List<Programs.Published>> active;

    Entering(
            Programs programs,
            Versions versions,
            Participants participants,
            CustomerManagement customers,
            SegmentManagement segments,
            AsyncActions asyncActions,
            ObjectProvider<SchedulerClient> scheduler,
            Running running,
            Expressions expressions,
            ApplicationEventPublisher events,
            PlatformTransactionManager transactions,
            JsonMapper json,
            Clock clock) {
        this.json = json;
        this.programs = programs;
        this.versions = versions;
        this.participants = participants;
        this.customers = customers;
        this.segments = segments;
        this.asyncActions = asyncActions;
        this.scheduler = scheduler;
        this.running = running;
        this.expressions = expressions;
        this.events = events;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
        this.active = new RecentCache<>(Duration.ofSeconds(5), clock);
    }

    /** Forgets which programs of the project are active, once the current transaction commits. */
    void forget(ProjectId project) {
        for (var type : List.of("event", "segment", "milestone", "timeline")) {
            active.forgetAfterCommit(project.value() + "/" + type);
        }
    }

    private List<Programs.Published> active(ProjectId project, String type) {
        return active.get(project.value() + "/" + type, key -> Optional.of(programs.active(project, type)))
                .orElse(List.of());
    }

    // ---- triggers on one customer ---------------------------------------------------------------------------------

    @EventListener
    void on(CustomEventTracked tracked) {
        var project = tracked.meta().projectId();
        var name = tracked.activity().name();
        for (var program : active(project, "event")) {
            var definition = versions.definition(program.id(), program.version());
            if (definition.trigger() instanceof Definition.EventTrigger trigger
                    && trigger.event().equals(name)) {
                var event = new LinkedHashMap<String, Object>();
                event.put("name", name);
                event.put("metadata", tracked.activity().data().getOrDefault("metadata", Map.of()));
                event.put("created_at", tracked.activity().createdAt().toString());
                event.put("activity_id", tracked.activity().id());
                if (trigger.condition() != null
                        && !expressions
                                .predicate(trigger.condition(), "event", "customer")
                                .test(Map.of(
                                        "event",
                                        event,
                                        "customer",
                                        tracked.customer().asVariables()))) {
                    continue;
                }
                enterOne(program, definition, tracked.customer(), event);
            }
        }
    }

    @EventListener
    void on(CustomerSegmentEntered entered) {
        var project = entered.meta().projectId();
        for (var program : active(project, "segment")) {
            var definition = versions.definition(program.id(), program.version());
            if (definition.trigger() instanceof Definition.SegmentTrigger trigger
                    && trigger.segmentId().equals(entered.segment().id())) {
                enterOne(
                        program,
                        definition,
                        entered.customer(),
                        Map.of(
                                "name",
                                "customer.segment.entered",
                                "segment",
                                Map.of(
                                        "id",
                                        entered.segment().id(),
                                        "name",
                                        entered.segment().name())));
            }
        }
    }

    @EventListener
    void on(MilestoneReached reached) {
        var project = reached.meta().projectId();
        for (var program : active(project, "milestone")) {
            var definition = versions.definition(program.id(), program.version());
            if (definition.trigger() instanceof Definition.MilestoneTrigger trigger
                    && (trigger.milestone().equals(reached.milestone().name())
                            || trigger.milestone().equals(reached.milestone().id()))) {
                enterOne(
                        program,
                        definition,
                        reached.customer(),
                        Map.of(
                                "name", "milestone.reached",
                                "milestone",
                                        Map.of(
                                                "id",
                                                reached.milestone().id(),
                                                "name",
                                                reached.milestone().name()),
                                "reached_at", reached.reachedAt().toString()));
            }
        }
    }

    @EventListener
    void on(ActivityRecorded recorded) {
        var programsOfProject = active(recorded.projectId(), "timeline");
        if (programsOfProject.isEmpty()) {
            return;
        }
        var activity = recorded.activity();
        for (var program : programsOfProject) {
            var definition = versions.definition(program.id(), program.version());
            if (definition.trigger() instanceof Definition.TimelineTrigger trigger
                    && trigger.activityType().equals(activity.type())
                    && (trigger.name() == null || trigger.name().equals(activity.name()))
                    && holds(trigger.options(), activity.data())) {
                var event = new LinkedHashMap<String, Object>();
                event.put("name", activity.name() == null ? activity.type() : activity.name());
                event.put("type", activity.type());
                event.put("data", activity.data());
                event.put("metadata", activity.data().getOrDefault("metadata", Map.of()));
                event.put("activity_id", activity.id());
                enterOne(program, definition, recorded.customer(), event);
            }
        }
    }

    /** Whether the entry's data holds every option, at its top level or under its metadata. */
    private static boolean holds(Map<String, Object> options, Map<String, Object> data) {
        var metadata = data.get("metadata") instanceof Map<?, ?> m ? m : Map.of();
        for (var option : options.entrySet()) {
            var value = data.containsKey(option.getKey()) ? data.get(option.getKey()) : metadata.get(option.getKey());
            if (!Objects.equals(String.valueOf(value), String.valueOf(option.getValue()))) {
                return false;
            }
        }
        return true;
    }

    private void enterOne(
            Programs.Published program, Definition definition, Customer customer, Map<String, Object> event) {
        if (!inAudience(program.project(), definition.participants(), customer)) {
            return;
        }
        enter(program, definition, List.of(customer), event);
    }

    private boolean inAudience(ProjectId project, Definition.Audience audience, Customer customer) {
        if (audience.query() != null && !customers.matches(audience.query(), customer)) {
            return false;
        }
        return audience.segmentId() == null
                || segments.segmentsOf(project, customer).stream()
                        .anyMatch(segment -> segment.id().equals(audience.segmentId()));
    }

    /**
     * Enters these customers into the published program in the caller's transaction; answers how many entered (the
     * others were in already, or finished and may not re-enter).
     */
    int enter(Programs.Published program, Definition definition, List<Customer> entrants, Map<String, Object> event) {
        return enter(program, definition, entrants, event, null);
    }

    /** As {@link #enter(Programs.Published, Definition, List, Map)}, leaving out who entered at or after since. */
    private int enter(
            Programs.Published program,
            Definition definition,
            List<Customer> entrants,
            Map<String, Object> event,
            @Nullable Instant since) {
        var now = clock.instant();
        var slots = admissions(program, definition, entrants.size(), now);
        var list = new ArrayList<Participants.Entrant>(entrants.size());
        for (int i = 0; i < entrants.size(); i++) {
            var variables = new LinkedHashMap<String, Object>();
            variables.put("event", event);
            list.add(
                    new Participants.Entrant(Ids.generate("pp"), entrants.get(i).id(), variables, slots.get(i)));
        }
        var entered = participants.enter(
                program.project(),
                program,
                definition.start(),
                list,
                definition.settings().reEntry(),
                since,
                now);
        if (entered.isEmpty()) {
            return 0;
        }
        var byId = new LinkedHashMap<String, Customer>();
        entrants.forEach(customer -> byId.put(customer.id(), customer));
        var announced = new ArrayList<ProjectEvent>(entered.size());
        var enteredCustomers = new ArrayList<Customer>(entered.size());
        var data = new ArrayList<Map<String, Object>>(entered.size());
        for (var entrant : entered) {
            var participant = new Participant(
                    entrant.id(),
                    program.id(),
                    program.version(),
                    entrant.customerId(),
                    0,
                    Participant.ACTIVE,
                    definition.start(),
                    0,
                    entrant.runAt(),
                    null,
                    now,
                    now,
                    null,
                    Map.of(),
                    List.of());
            announced.add(new ParticipantEntered(EventMeta.of(program.project(), clock), participant));
            enteredCustomers.add(byId.get(entrant.customerId()));
            data.add(Map.of(
                    "program_id",
                    program.id(),
                    "program",
                    program.name(),
                    "participant_id",
                    entrant.id(),
                    "version",
                    program.version()));
        }
        customers.recordActivities(program.project(), enteredCustomers, "program", "program.entered", data);
        events.publishEvent(announced.size() == 1 ? announced.getFirst() : new ParticipantsChanged(announced));
        running.wakeAfterCommit();
        return entered.size();
    }

    /**
     * When each of {@code count} new participants may start: now, or under {@code max_participants_per_hour} in the
     * first hour that still has room (the program's row is locked while its hours are counted).
     */
    private List<Instant> admissions(Programs.Published program, Definition definition, int count, Instant now) {
        var max = definition.settings().maxParticipantsPerHour();
        var slots = new ArrayList<Instant>(count);
        if (max == null) {
            for (int i = 0; i < count; i++) {
                slots.add(now);
            }
            return slots;
        }
        var admission = programs.admission(program.id());
        var hour = now.truncatedTo(ChronoUnit.HOURS);
        var slot = admission.slot() == null || admission.slot().isBefore(hour) ? hour : admission.slot();
        int filled = slot.equals(admission.slot()) ? admission.count() : 0;
        for (int i = 0; i < count; i++) {
            if (filled >= max) {
                slot = slot.plus(Duration.ofHours(1));
                filled = 0;
            }
            slots.add(slot.isAfter(now) ? slot : now);
            filled++;
        }
        programs.admitted(program.id(), slot, filled);
        return slots;
    }

    // ---- bulk: manual and scheduled -------------------------------------------------------------------------------

    /**
     * Enters the given customers by hand (ids or source ids, or e-mail addresses); answers who entered and which were
     * not found.
     */
    Map<String, Object> enterListed(Programs.Published program, List<String> references, boolean byEmail) {
        var definition = versions.definition(program.id(), program.version());
        var found = new ArrayList<Customer>();
        var missing = new ArrayList<String>();
        var byReference = byEmail
                ? customers.customersByEmails(program.project(), references)
                : customers.customersByReferences(program.project(), references);
        for (var reference : references) {
            var customer = byReference.get(reference);
            if (customer == null) {
                missing.add(reference);
            } else {
                found.add(customer);
            }
        }
        int entered = transaction.execute(status -> enter(program, definition, found, Map.of("name", "manual")));
        var result = new LinkedHashMap<String, Object>();
        result.put("object", "program_enrollment");
        result.put("entered", entered);
        result.put("skipped", found.size() - entered);
        result.put("not_found", missing);
        return result;
    }

    /** Queues the entry of everyone the audience matches, as an async action with progress. */
    AsyncAction enrollLater(Programs.Published program, Definition.@Nullable Audience audience) {
        return queue(program, audience, Map.of("name", "manual"), null, null, null);
    }

    /**
     * Queues an enrollment job in the caller's transaction (or at once outside one) with its async action: the job
     * runs on whichever node takes it, and again on another one when that node dies before it is done.
     */
    private AsyncAction queue(
            Programs.Published program,
            Definition.@Nullable Audience audience,
            Map<String, Object> event,
            @Nullable String dateAttribute,
            @Nullable Integer daysAfter,
            @Nullable Instant firedAt) {
        var action = asyncActions.create(program.project(), "program.enrollment");
        var data = json.writeValueAsString(new Enrollment(
                program.project().value(),
                program.id(),
                program.version(),
                action.id(),
                audience == null ? null : audience.query(),
                audience == null ? null : audience.segmentId(),
                event,
                dateAttribute,
                daysAfter,
                firedAt));
        Jobs.runSoon(scheduler.getObject(), new TaskInstance<>(ENROLL_TASK, action.id(), data));
        return action;
    }

    /**
     * What a queued enrollment enters: the program's version, its async action, the audience and the event the
     * participants enter with; for a firing of a schedule, its time and the date its {@code days_after} asks for.
     */
    record Enrollment(
            String projectId,
            String programId,
            int version,
            String actionId,
            @Nullable String query,
            @Nullable String segmentId,
            @Nullable Map<String, Object> event,
            @Nullable String dateAttribute,
            @Nullable Integer daysAfter,
            @Nullable Instant firedAt) {}

    /**
     * Runs a queued enrollment: the audience streamed, entered a thousand at a time, each batch in a transaction. A
     * firing's enrollment that runs again (its node died) leaves out whoever entered since the firing, so that a
     * program with re-entry does not take anyone twice for one firing.
     */
    void enroll(String data) {
        var enrollment = json.readValue(data, Enrollment.class);
        var project = new ProjectId(enrollment.projectId());
        var program = new Programs.Published(
                project,
                enrollment.programId(),
                programs.find(project, enrollment.programId())
                        .map(Program::name)
                        .orElse(""),
                enrollment.version());
        var actionId = enrollment.actionId();
        var audience = new Definition.Audience(enrollment.query(), enrollment.segmentId());
        asyncActions.start(actionId);
        var definition = versions.definition(program.id(), program.version());
        Predicate<Customer> also = customer -> true;
        if (enrollment.daysAfter() != null && enrollment.firedAt() != null) {
            var wanted = LocalDate.ofInstant(
                            enrollment.firedAt(), definition.settings().timeZone())
                    .minusDays(enrollment.daysAfter());
            var attribute = enrollment.dateAttribute();
            also = customer -> wanted.equals(Steps.date(customer, attribute));
        }
        var event = enrollment.event() == null ? Map.<String, Object>of("name", "manual") : enrollment.event();
        long entered = enrollAll(program, definition, audience, also, event, enrollment.firedAt());
        asyncActions.finish(actionId, AsyncAction.Status.DONE, Map.of("program_id", program.id(), "entered", entered));
    }

    private long enrollAll(
            Programs.Published program,
            Definition definition,
            Definition.Audience audience,
            Predicate<Customer> also,
            Map<String, Object> event,
            @Nullable Instant since) {
        var buffer = new ArrayList<Customer>(BULK);
        long[] entered = {0};
        customers.forEachMatching(program.project(), audience.query(), audience.segmentId(), customer -> {
            if (!also.test(customer)) {
                return;
            }
            buffer.add(customer);
            if (buffer.size() == BULK) {
                var batch = List.copyOf(buffer);
                buffer.clear();
                entered[0] += transaction.execute(status -> enter(program, definition, batch, event, since));
            }
        });
        if (!buffer.isEmpty()) {
            entered[0] += transaction.execute(status -> enter(program, definition, buffer, event, since));
        }
        return entered[0];
    }

    /** When a scheduled program fires next after {@code now}. */
    static @Nullable Instant nextFire(Definition definition, Instant now) {
        if (!(definition.trigger() instanceof Definition.ScheduleTrigger schedule)) {
            return null;
        }
        var zone = definition.settings().timeZone();
        var local = ZonedDateTime.ofInstant(now, zone);
        if (schedule.cron() != null) {
            var next = schedule.cron().next(local);
            return next == null ? null : next.toInstant();
        }
        var today = local.with(definition.settings().at());
        return (today.isAfter(local) ? today : today.plusDays(1)).toInstant();
    }

    /**
     * Fires the scheduled programs that are due, each on one node: moving a program's next firing and queuing the
     * enrollment of this one commit together, so that a firing is neither lost nor made twice.
     */
    void fireSchedules() {
        var now = clock.instant();
        transaction.executeWithoutResult(status -> {
            for (var program : programs.dueSchedules(now, 10)) {
                var definition = versions.definition(program.id(), program.version());
                programs.nextFire(program.id(), nextFire(definition, now));
                if (!(definition.trigger() instanceof Definition.ScheduleTrigger schedule)) {
                    continue;
                }
                var event = new LinkedHashMap<String, Object>();
                event.put("name", "schedule");
                event.put("fired_at", now.toString());
                if (schedule.daysAfter() != null) {
                    event.put("date_attribute", schedule.dateAttribute());
                    event.put("days_after", schedule.daysAfter());
                }
                queue(program, definition.participants(), event, schedule.dateAttribute(), schedule.daysAfter(), now);
            }
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Schedules {

        @Bean
        OneTimeTask<String> enrollProgramParticipants(Entering entering) {
            return Tasks.oneTime(ENROLL_TASK, String.class)
                    .execute((instance, context) -> entering.enroll(instance.getData()));
        }

        @Bean
        RecurringTask<Void> fireProgramSchedules(
                Entering entering, @Value("${bestow.journeys.schedule-sweep:1m}") Duration every) {
            return Tasks.recurring("fire-program-schedules", FixedDelay.of(every))
                    .execute((instance, context) -> entering.fireSchedules());
        }
    }
}
