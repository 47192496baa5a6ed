package io.bestow.journeys;

import io.bestow.connectors.ActionRun;
import io.bestow.customers.Customer;
import io.bestow.shared.ApiException;
import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One participant's way through its program during one claim: it advances through branches, elapsed waits and API
 * calls on its own, stops at a step that writes to the database (run in the batch's transaction), and ends parked
 * (waiting, retrying, in quiet hours) or finished. Everything it did is kept as history lines and events until the
 * batch writes them.
 */
final class Walk {

    private static final int MAX_UNEXPECTED = 10;

    final Participants.Claimed claimed;
    final Definition definition;
    final @Nullable Customer initialCustomer;

    @Nullable
    Customer customer;

    @Nullable
    String step;

    Map<String, Object> state;
    int attempts;
    String status;

    @Nullable
    Instant nextRunAt;

    @Nullable
    String error;

    @Nullable
    Instant finishedAt;

    Definition.@Nullable Step pendingLocal;
    boolean parked;
    final List<Participants.Line> lines = new ArrayList<>();
    final List<ProjectEvent> events = new ArrayList<>();

    Walk(Participants.Claimed claimed, Definition definition, @Nullable Customer customer) {
        this.claimed = claimed;
        this.definition = definition;
        this.initialCustomer = customer;
        this.customer = customer;
        this.step = claimed.step();
        this.state = new LinkedHashMap<>(claimed.variables());
        this.attempts = claimed.attempts();
        this.status = claimed.status();
    }

    boolean finished() {
        return finishedAt != null;
    }

    /** Whether it has more to do in this claim: not finished, not parked, and not stopped at a local step. */
    boolean runnable() {
        return !finished() && !parked && pendingLocal == null;
    }

    Map<String, Object> variables() {
        return Steps.variables(customer, state, claimed.id(), claimed.programId(), claimed.version());
    }

    /** Goes as far as it can without writing to the database. */
    void advance(Steps steps, Clock clock) {
        advance(steps, clock, true);
    }

    /**
     * Goes on from a local step inside the batch's transaction, as far as it can without calling out: it stops before
     * an API call (still runnable, for the next round outside the transaction) or at the next local step.
     */
    void advanceWithoutCalls(Steps steps, Clock clock) {
        advance(steps, clock, false);
    }

    private void advance(Steps steps, Clock clock, boolean calling) {
        var now = clock.instant();
        if (customer == null) {
            exit("The customer no longer exists", now);
            return;
        }
        try {
            for (int guard = 0; guard < 1_000 && runnable(); guard++) {
                if (step == null) {
                    finish(Participant.COMPLETED, null, now);
                    return;
                }
                var current = definition.step(step);
                if (current instanceof Definition.CallApi && !calling) {
                    return;
                }
                if (current.outbound()) {
                    var quietEnd = quietEnd(now);
                    if (quietEnd != null) {
                        line(current, "deferred", Map.of("until", quietEnd.toString(), "reason", "quiet hours"), now);
                        park(Participant.ACTIVE, quietEnd);
                        return;
                    }
                }
                if (current.local()) {
                    pendingLocal = current;
                    return;
                }
                switch (current) {
                    case Definition.Wait wait -> waitFor(wait, steps, now);
                    case Definition.Branch branch -> {
                        boolean result = steps.branch(branch, variables());
                        var next = result ? branch.then() : branch.otherwise();
                        line(branch, "succeeded", detail("result", result, "next", next), now);
                        step = next;
                    }
                    case Definition.End end -> {
                        line(end, "succeeded", Map.of(), now);
                        finish(Participant.COMPLETED, null, now);
                    }
                    case Definition.CallApi call -> call(call, steps, clock);
                    default -> throw new IllegalStateException("Unexpected step " + current.type());
                }
            }
        } catch (RuntimeException e) {
            unexpected(e, now);
        }
    }

    private void waitFor(Definition.Wait wait, Steps steps, Instant now) {
        Instant until;
        if (state.get("waiting") instanceof Map<?, ?> waiting && wait.id().equals(waiting.get("step"))) {
            until = Instant.parse(String.valueOf(waiting.get("until")));
        } else {
            try {
                until = steps.waitUntil(wait, customer, definition.settings(), now);
            } catch (ApiException e) {
                failed(wait, e.getMessage(), now);
                return;
            }
            state.put("waiting", Map.of("step", wait.id(), "until", until.toString()));
            line(wait, "waiting", Map.of("until", until.toString()), now);
        }
        if (until.isAfter(now)) {
            park(Participant.WAITING, until);
            return;
        }
        state.remove("waiting");
        line(wait, "succeeded", Map.of(), now);
        step = wait.next();
        status = Participant.ACTIVE;
    }

    private void call(Definition.CallApi call, Steps steps, Clock clock) {
        ActionRun run;
        try {
            run = steps.callApi(
                    claimed.project(),
                    call,
                    variables(),
                    Steps.idempotencyKey(claimed.programId(), claimed.id(), call.id()));
        } catch (ApiException e) {
            // The action or its connector is gone, or a mapping does not render: trying again will not help.
            failed(call, e.getMessage(), clock.instant());
            return;
        }
        var now = clock.instant();
        if (run.succeeded()) {
            succeeded(call, run.outputs(), detail("call_id", run.id(), "status", run.status()), now);
            return;
        }
        attempts++;
        // A run that sent nothing failed on its own templates: another try renders the same.
        if (run.attempts() > 0 && attempts < call.maxAttempts()) {
            var retryAt = now.plus(call.backoff().multipliedBy(1L << Math.min(attempts - 1, 16)));
            line(
                    call,
                    "retrying",
                    detail("call_id", run.id(), "error", run.error(), "retry_at", retryAt.toString()),
                    now);
            error = run.error();
            park(Participant.ACTIVE, retryAt);
            return;
        }
        failed(call, run.error() == null ? "The call failed" : run.error(), now, detail("call_id", run.id()));
    }

    /** The local step ran in the batch's transaction and succeeded. */
    void localSucceeded(Map<String, Object> outputs, Instant now) {
        var local = pendingLocal;
        pendingLocal = null;
        succeeded(local, outputs, Map.of(), now);
    }

    /** The local step failed for a reason a retry will not change (a refused send, a missing e-mail address). */
    void localFailed(String reason, Instant now) {
        var local = pendingLocal;
        pendingLocal = null;
        failed(local, reason, now);
    }

    void succeeded(Definition.Step done, Map<String, ?> outputs, Map<String, Object> detail, Instant now) {
        steps().put(done.id(), Map.of("status", "succeeded", "outputs", outputs));
        state.put("previous", Map.of("step", done.id(), "succeeded", true));
        attempts = 0;
        error = null;
        var shown = new LinkedHashMap<>(detail);
        if (!outputs.isEmpty()) {
            shown.put("outputs", outputs);
        }
        line(done, "succeeded", shown, now);
        step = done instanceof Definition.Acting acting ? acting.next() : null;
    }

    private void failed(Definition.Step failed, String reason, Instant now) {
        failed(failed, reason, now, Map.of());
    }

    private void failed(Definition.Step failed, String reason, Instant now, Map<String, Object> detail) {
        steps().put(failed.id(), Map.of("status", "failed", "error", reason));
        state.put("previous", Map.of("step", failed.id(), "succeeded", false));
        attempts = 0;
        var shown = new LinkedHashMap<>(detail);
        shown.put("error", reason);
        line(failed, "failed", shown, now);
        var onFailure = failed instanceof Definition.Acting acting ? acting.onFailure() : Definition.OnFailure.FAIL;
        switch (onFailure.action()) {
            case "continue" -> step = ((Definition.Acting) failed).next();
            case "goto" -> step = onFailure.step();
            default -> finish(Participant.FAILED, reason, now);
        }
    }

    /** Something went wrong that is not the step's fault (a database error): try again later, but not forever. */
    void unexpected(RuntimeException e, Instant now) {
        attempts++;
        error = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (attempts >= MAX_UNEXPECTED) {
            finish(Participant.FAILED, error, now);
        } else {
            park(Participant.ACTIVE, now.plus(Duration.ofSeconds(30L * attempts)));
        }
    }

    void exit(String reason, Instant now) {
        finish(Participant.EXITED, reason, now);
    }

    private void finish(String outcome, @Nullable String reason, Instant now) {
        status = outcome;
        error = reason;
        finishedAt = now;
        nextRunAt = null;
        pendingLocal = null;
        lines.add(new Participants.Line(
                claimed.project(),
                claimed.programId(),
                claimed.id(),
                null,
                null,
                outcome,
                reason == null ? Map.of() : Map.of("error", reason),
                now));
        events.add(
                new ParticipantFinished(EventMeta.of(claimed.project(), Clock.fixed(now, ZoneOffset.UTC)), view(now)));
    }

    private void park(String newStatus, Instant at) {
        status = newStatus;
        nextRunAt = at;
        parked = true;
    }

    /** The participant as the API and events show it. */
    Participant view(Instant now) {
        return new Participant(
                claimed.id(),
                claimed.programId(),
                claimed.version(),
                claimed.customerId(),
                claimed.entry(),
                status,
                step,
                attempts,
                nextRunAt,
                error,
                claimed.enteredAt(),
                now,
                finishedAt,
                Map.of(),
                List.of());
    }

    /** Where it stands, for the batch to write back; {@code release} unless it goes on in this claim. */
    Participants.Progress progress(Instant now) {
        boolean goesOn = runnable();
        return new Participants.Progress(
                claimed.id(), status, step, state, attempts, goesOn ? now : nextRunAt, error, finishedAt, !goesOn);
    }

    /** When quiet hours that hold now end, or null outside them. */
    private @Nullable Instant quietEnd(Instant now) {
        var settings = definition.settings();
        if (settings.quietStart() == null || settings.quietEnd() == null) {
            return null;
        }
        var local = ZonedDateTime.ofInstant(now, settings.timeZone());
        LocalTime time = local.toLocalTime();
        LocalTime start = settings.quietStart();
        LocalTime end = settings.quietEnd();
        boolean quiet = start.isBefore(end)
                ? !time.isBefore(start) && time.isBefore(end)
                : !time.isBefore(start) || time.isBefore(end);
        if (!quiet) {
            return null;
        }
        var endToday = local.with(end);
        return (endToday.isAfter(local) ? endToday : endToday.plusDays(1)).toInstant();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> steps() {
        var steps = state.get("steps");
        if (!(steps instanceof LinkedHashMap<?, ?>)) {
            var copy = new LinkedHashMap<String, Object>();
            if (steps instanceof Map<?, ?> existing) {
                existing.forEach((key, value) -> copy.put(String.valueOf(key), value));
            }
            state.put("steps", copy);
            return copy;
        }
        return (Map<String, Object>) steps;
    }

    private void line(Definition.Step at, String outcome, Map<String, Object> detail, Instant now) {
        lines.add(new Participants.Line(
                claimed.project(), claimed.programId(), claimed.id(), at.id(), at.type(), outcome, detail, now));
    }

    /** A snapshot to go back to when the batch's transaction fails. */
    Snapshot snapshot() {
        var copy = new LinkedHashMap<>(state);
        if (copy.get("steps") instanceof Map<?, ?> stepsMap) {
            copy.put("steps", new LinkedHashMap<>(stepsMap));
        }
        return new Snapshot(
                customer,
                step,
                copy,
                attempts,
                status,
                nextRunAt,
                error,
                finishedAt,
                pendingLocal,
                parked,
                lines.size(),
                events.size());
    }

    void restore(Snapshot snapshot) {
        customer = snapshot.customer();
        step = snapshot.step();
        state = snapshot.state();
        attempts = snapshot.attempts();
        status = snapshot.status();
        nextRunAt = snapshot.nextRunAt();
        error = snapshot.error();
        finishedAt = snapshot.finishedAt();
        pendingLocal = snapshot.pendingLocal();
        parked = snapshot.parked();
        lines.subList(snapshot.lines(), lines.size()).clear();
        events.subList(snapshot.events(), events.size()).clear();
    }

    record Snapshot(
            @Nullable Customer customer,
            @Nullable String step,
            Map<String, Object> state,
            int attempts,
            String status,
            @Nullable Instant nextRunAt,
            @Nullable String error,
            @Nullable Instant finishedAt,
            Definition.@Nullable Step pendingLocal,
            boolean parked,
            int lines,
            int events) {}

    private static Map<String, Object> detail(Object... pairs) {
        var detail = new LinkedHashMap<String, Object>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                detail.put(String.valueOf(pairs[i]), pairs[i + 1]);
            }
        }
        return detail;
    }
}
