package io.bestow.tasks;

import io.bestow.customers.CustomerManagement;
import io.bestow.shared.ApiException;
import io.bestow.shared.EventMeta;
import io.bestow.shared.Ids;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.bestow.shared.RequestBodies;
import io.bestow.shared.SqlFilters;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Tasks: created over the API or by programs, listed by assignee, customer or program, and closed. */
@Service
public class TaskManagement {

    private static final String WHAT = "task";
    private static final Set<String> FIELDS =
            Set.of("title", "description", "customer", "assignee", "due_at", "due_in_days", "metadata", "status");
    private static final int MAX_TITLE = 300;

    private final Tasks tasks;
    private final CustomerManagement customers;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Clock clock;

    TaskManagement(
            Tasks tasks, CustomerManagement customers, ApplicationEventPublisher events, JsonMapper json, Clock clock) {
        this.tasks = tasks;
        this.customers = customers;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    /** Creates a task as {@code POST /v1/tasks} describes it. */
    @Transactional
    public Task create(ProjectId project, JsonNode body) {
        RequestBodies.expectFields(body, FIELDS, WHAT);
        var title = title(RequestBodies.text(body, "title", null, WHAT));
        var customer = body.path("customer");
        String customerId = null;
        if (!customer.isMissingNode() && !customer.isNull()) {
            if (customer.isString()) {
                customerId = customers.customer(project, customer.asString()).id();
            } else if (customer.isObject()) {
                customerId = customers.resolve(project, customer).id();
            } else {
                throw RequestBodies.invalid(WHAT, "customer", "must be a customer id or an object with a source_id");
            }
        }
        Map<String, Object> metadata = Map.of();
        if (body.has("metadata") && !body.get("metadata").isNull()) {
            if (!body.get("metadata").isObject()) {
                throw RequestBodies.invalid(WHAT, "metadata", "must be an object");
            }
            metadata = json.convertValue(body.get("metadata"), new TypeReference<Map<String, Object>>() {});
        }
        var draft = new Task.Draft(
                title,
                description(RequestBodies.text(body, "description", null, WHAT)),
                customerId,
                RequestBodies.text(body, "assignee", null, WHAT),
                due(body, null),
                "api",
                null,
                null,
                metadata);
        return createAll(project, List.of(draft)).getFirst();
    }

    /**
     * Creates tasks in the caller's transaction with one statement, announced as {@code task.created} each (as one
     * outbox entry when there are several).
     */
    @Transactional
    public List<Task> createAll(ProjectId project, List<Task.Draft> drafts) {
        if (drafts.isEmpty()) {
            return List.of();
        }
        var now = clock.instant();
        var created = new ArrayList<Task>(drafts.size());
        for (var draft : drafts) {
            created.add(new Task(
                    Ids.generate("task"),
                    title(draft.title()),
                    description(draft.description()),
                    draft.customerId(),
                    draft.assignee(),
                    draft.dueAt(),
                    Task.OPEN,
                    draft.origin(),
                    draft.programId(),
                    draft.participantId(),
                    draft.metadata(),
                    now,
                    now,
                    null));
        }
        tasks.insertAll(project, created);
        var announced = created.stream()
                .map(task -> new TaskCreated(EventMeta.of(project, clock), task))
                .toList();
        if (announced.size() == 1) {
            events.publishEvent(announced.getFirst());
        } else {
            events.publishEvent(new TasksCreated(announced));
        }
        return created;
    }

    public Task task(ProjectId project, String id) {
        return tasks.find(project, id).orElseThrow(() -> ApiException.notFound(WHAT, id));
    }

    /** Newest first, filtered by status, assignee, customer or program. */
    public List<Task> tasks(ProjectId project, Filter filter, Paging paging) {
        return tasks.list(project, filter.where(), paging);
    }

    public long countTasks(ProjectId project, Filter filter) {
        return tasks.count(project, filter.where());
    }

    /**
     * Changes an open task's title, description, assignee or due date, or closes it with {@code status}
     * {@code done} or {@code cancelled}; a closed task is 409.
     */
    @Transactional
    public Task update(ProjectId project, String id, JsonNode body) {
        RequestBodies.expectFields(body, FIELDS, WHAT);
        if (body.has("customer")) {
            throw RequestBodies.invalid(WHAT, "customer", "cannot change: create a new task for another customer");
        }
        var existing = task(project, id);
        var status = RequestBodies.text(body, "status", existing.status(), WHAT);
        if (!Task.OPEN.equals(existing.status())) {
            throw closed(existing);
        }
        var now = clock.instant();
        var updated = tasks.update(
                        project,
                        id,
                        title(RequestBodies.text(body, "title", existing.title(), WHAT)),
                        description(RequestBodies.text(body, "description", existing.description(), WHAT)),
                        RequestBodies.text(body, "assignee", existing.assignee(), WHAT),
                        due(body, existing.dueAt()),
                        now)
                .orElseThrow(() -> closed(existing));
        if (Task.OPEN.equals(status)) {
            return updated;
        }
        if (!Task.DONE.equals(status) && !Task.CANCELLED.equals(status)) {
            throw RequestBodies.invalid(WHAT, "status", "must be open, done or cancelled");
        }
        var closed = tasks.close(project, id, status, now).orElseThrow(() -> closed(existing));
        events.publishEvent(new TaskClosed(EventMeta.of(project, clock), closed));
        return closed;
    }

    private @Nullable Instant due(JsonNode body, @Nullable Instant fallback) {
        var at = body.path("due_at");
        var inDays = body.path("due_in_days");
        if (!at.isMissingNode() && !inDays.isMissingNode()) {
            throw RequestBodies.invalid(WHAT, "due_at", "cannot be given with due_in_days");
        }
        if (!inDays.isMissingNode()) {
            if (!inDays.isIntegralNumber() || inDays.asLong() < 0 || inDays.asLong() > 3650) {
                throw RequestBodies.invalid(WHAT, "due_in_days", "must be a whole number of days from 0 to 3650");
            }
            return clock.instant().plus(Duration.ofDays(inDays.asLong()));
        }
        if (at.isMissingNode()) {
            return fallback;
        }
        if (at.isNull()) {
            return null;
        }
        try {
            return Instant.parse(at.asString(""));
        } catch (DateTimeParseException e) {
            throw RequestBodies.invalid(WHAT, "due_at", "must be an ISO 8601 time such as 2026-12-01T09:00:00Z");
        }
    }

    private static String title(@Nullable String title) {
        if (title == null || title.isBlank() || title.length() > MAX_TITLE) {
            throw RequestBodies.invalid(WHAT, "title", "is required: 1 to " + MAX_TITLE + " characters");
        }
        return title.trim();
    }

    private static @Nullable String description(@Nullable String description) {
        if (description != null && description.length() > 10_000) {
            throw RequestBodies.invalid(WHAT, "description", "must be at most 10000 characters");
        }
        return description;
    }

    private static ApiException closed(Task task) {
        return new ApiException(
                HttpStatus.CONFLICT, "task_closed", "The task " + task.id() + " is already " + task.status());
    }

    /** What a task list is filtered by; null means any. */
    public record Filter(
            @Nullable String status,
            @Nullable String assignee,
            @Nullable String customerId,
            @Nullable String programId) {

        public static final Filter ANY = new Filter(null, null, null, null);

        SqlFilters where() {
            return new SqlFilters()
                    .where("status", status)
                    .where("assignee", assignee)
                    .where("customer_id", customerId)
                    .where("program_id", programId);
        }
    }
}
