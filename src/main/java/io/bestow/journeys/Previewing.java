package io.bestow.journeys;

import io.bestow.budgets.BudgetManagement;
import io.bestow.campaigns.CampaignManagement;
import io.bestow.connectors.Action;
import io.bestow.connectors.ActionManagement;
import io.bestow.connectors.ConnectorManagement;
import io.bestow.customers.Customer;
import io.bestow.customers.CustomerManagement;
import io.bestow.customers.SegmentManagement;
import io.bestow.gifts.GiftManagement;
import io.bestow.shared.ApiException;
import io.bestow.shared.ProjectId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Shows what a program would do without doing it: its participants (how many, and the first 50), every step's exact
 * request, gift, message or task for one sample participant, and what is wrong with it (a reference to nothing, an
 * unauthorized connector, a mapping field the action does not use, a template naming a field the participant lacks,
 * a step no path reaches).
 */
@Component
class Previewing {

    private static final int SAMPLE = 50;
    private static final Pattern TAG = Pattern.compile("\\{\\{(.*?)}}|\\{%(.*?)%}", Pattern.DOTALL);

    private final Steps steps;
    private final ActionManagement actions;
    private final ConnectorManagement connectors;
    private final GiftManagement gifts;
    private final BudgetManagement budgets;
    private final CampaignManagement campaigns;
    private final SegmentManagement segments;
    private final CustomerManagement customers;

    Previewing(
            Steps steps,
            ActionManagement actions,
            ConnectorManagement connectors,
            GiftManagement gifts,
            BudgetManagement budgets,
            CampaignManagement campaigns,
            SegmentManagement segments,
            CustomerManagement customers) {
        this.steps = steps;
        this.actions = actions;
        this.connectors = connectors;
        this.gifts = gifts;
        this.budgets = budgets;
        this.campaigns = campaigns;
        this.segments = segments;
        this.customers = customers;
    }

    /** One thing wrong with a program: an {@code error} stops publishing, a {@code warning} does not. */
    record Problem(String severity, @Nullable String step, String message) {
        static Problem error(@Nullable String step, String message) {
            return new Problem("error", step, message);
        }

        static Problem warning(@Nullable String step, String message) {
            return new Problem("warning", step, message);
        }
    }

    /** What the program refers to that is not there or not usable, and steps no path reaches. */
    List<Problem> problems(ProjectId project, Definition definition) {
        var problems = new ArrayList<Problem>();
        if (definition.trigger() instanceof Definition.SegmentTrigger segment) {
            check(problems, null, () -> segments.segment(project, segment.segmentId()));
        }
        if (definition.participants().segmentId() != null) {
            check(
                    problems,
                    null,
                    () -> segments.segment(project, definition.participants().segmentId()));
        }
        var reachable = definition.reachable();
        for (var step : definition.steps().values()) {
            if (!reachable.contains(step)) {
                problems.add(Problem.warning(
                        step.id(), "No path from the start (" + definition.start() + ") reaches this step"));
            }
            switch (step) {
                case Definition.CallApi call -> callProblems(project, call, problems);
                case Definition.SendGift gift -> {
                    check(problems, step.id(), () -> {
                        var found = gifts.gift(project, gift.giftId());
                        if (!found.active()) {
                            throw new IllegalArgumentException("The gift " + found.id() + " is not active");
                        }
                    });
                    if (gift.budgetId() == null) {
                        problems.add(Problem.error(step.id(), "A program sends from a budget: give budget_id"));
                    } else {
                        check(problems, step.id(), () -> budgets.budget(project, gift.budgetId()));
                    }
                }
                case Definition.IssueCode code ->
                    check(problems, step.id(), () -> campaigns.campaign(project, code.campaign()));
                default -> {}
            }
        }
        return problems;
    }

    private void callProblems(ProjectId project, Definition.CallApi call, List<Problem> problems) {
        Action action;
        try {
            action = actions.action(project, call.actionId());
        } catch (ApiException e) {
            problems.add(Problem.error(call.id(), e.getMessage()));
            return;
        }
        var connector = connectors.connector(project, action.connectorId());
        if (!Boolean.TRUE.equals(connector.status().get("authorized"))) {
            problems.add(Problem.error(
                    call.id(),
                    "The connector " + connector.name() + " is not authorized: "
                            + (connector.status().containsKey("missing_secrets")
                                    ? "it lacks " + connector.status().get("missing_secrets")
                                    : "run its Authorize step")));
        }
        var used = new StringBuilder();
        for (var template : actions.templatesOf(action)) {
            var tags = TAG.matcher(template);
            while (tags.find()) {
                used.append(' ').append(tags.group(1) == null ? tags.group(2) : tags.group(1));
            }
        }
        for (var field : call.mapping().keySet()) {
            if (!Pattern.compile("\\b" + Pattern.quote(field) + "\\b")
                    .matcher(used)
                    .find()) {
                problems.add(Problem.warning(
                        call.id(),
                        "The mapping sets " + field + ", which the action " + action.name() + " does not use"));
            }
        }
    }

    private static void check(List<Problem> problems, @Nullable String step, Runnable lookup) {
        try {
            lookup.run();
        } catch (ApiException | IllegalArgumentException e) {
            problems.add(Problem.error(step, e.getMessage()));
        }
    }

    /**
     * The preview: participants, each reachable step rendered for the sample participant (the given customer, else
     * the first one the audience holds), and the problems. Outputs of earlier steps stand in as placeholders.
     */
    Map<String, Object> preview(
            ProjectId project,
            String programId,
            Definition definition,
            @Nullable Customer given,
            Map<String, Object> event,
            Instant now) {
        var problems = new ArrayList<>(problems(project, definition));
        var preview = new LinkedHashMap<String, Object>();
        preview.put("object", "program_preview");
        preview.put("program_id", programId);
        var sample = new ArrayList<Map<String, Object>>();
        long[] count = {0};
        var audience = definition.participants();
        customers.forEachMatching(project, audience.query(), audience.segmentId(), customer -> {
            count[0]++;
            if (sample.size() < SAMPLE) {
                var shown = new LinkedHashMap<String, Object>();
                shown.put("id", customer.id());
                if (customer.sourceId() != null) {
                    shown.put("source_id", customer.sourceId());
                }
                if (customer.name() != null) {
                    shown.put("name", customer.name());
                }
                if (customer.email() != null) {
                    shown.put("email", customer.email());
                }
                sample.add(shown);
            }
        });
        preview.put("participants", Map.of("count", count[0], "first", sample));
        Customer customer = given;
        if (customer == null && !sample.isEmpty()) {
            customer = customers
                    .findCustomer(project, (String) sample.getFirst().get("id"))
                    .orElse(null);
        }
        if (customer == null) {
            problems.add(Problem.warning(null, "No participant to render the steps for: give customer_id"));
            preview.put("steps", List.of());
            preview.put("problems", problems);
            preview.put("valid", problems.stream().noneMatch(p -> p.severity().equals("error")));
            return preview;
        }
        preview.put("sample_customer_id", customer.id());
        var state = new LinkedHashMap<String, Object>();
        state.put("event", event);
        var outputs = new LinkedHashMap<String, Object>();
        state.put("steps", outputs);
        var rendered = new ArrayList<Map<String, Object>>();
        var participantId = "pp_preview";
        for (var step : definition.reachable()) {
            var variables = Steps.variables(customer, state, participantId, programId, 0);
            var shown = new LinkedHashMap<String, Object>();
            shown.put("id", step.id());
            shown.put("type", step.type());
            try {
                render(project, programId, definition, step, customer, variables, now, shown);
            } catch (ApiException e) {
                shown.put("error", e.getMessage());
                problems.add(Problem.error(step.id(), e.getMessage()));
            }
            outputs.put(step.id(), Map.of("status", "succeeded", "outputs", placeholders(project, step)));
            rendered.add(shown);
        }
        preview.put("steps", rendered);
        preview.put("problems", problems);
        preview.put("valid", problems.stream().noneMatch(p -> p.severity().equals("error")));
        return preview;
    }

    private void render(
            ProjectId project,
            String programId,
            Definition definition,
            Definition.Step step,
            Customer customer,
            Map<String, Object> variables,
            Instant now,
            Map<String, Object> shown) {
        var participantId = "pp_preview";
        switch (step) {
            case Definition.CallApi call -> {
                shown.put("mapping", steps.mapped(call, variables));
                var request = steps.previewCall(project, call, variables);
                shown.put("request", request.get("request"));
            }
            case Definition.SendGift gift ->
                shown.put("send", steps.sendBody(gift, customer, variables, programId, participantId));
            case Definition.IssueCode code ->
                shown.put("publication", Map.of("campaign", code.campaign(), "customer", Map.of("id", customer.id())));
            case Definition.SendMessage message -> {
                var mail = steps.message(message, variables, participantId);
                shown.put("message", Map.of("to", mail.to(), "subject", mail.subject(), "text", mail.text()));
            }
            case Definition.CreateTask task -> {
                var draft = steps.task(task, customer, variables, programId, participantId, now);
                var shownTask = new LinkedHashMap<String, Object>();
                shownTask.put("title", draft.title());
                if (draft.description() != null) {
                    shownTask.put("description", draft.description());
                }
                if (draft.assignee() != null) {
                    shownTask.put("assignee", draft.assignee());
                }
                if (draft.dueAt() != null) {
                    shownTask.put("due_at", draft.dueAt().toString());
                }
                shown.put("task", shownTask);
            }
            case Definition.UpdateCustomer update -> shown.put("metadata", steps.metadata(update, variables));
            case Definition.Wait wait ->
                shown.put(
                        "until",
                        steps.waitUntil(wait, customer, definition.settings(), now)
                                .toString());
            case Definition.Branch branch -> {
                boolean result = steps.branch(branch, variables);
                shown.put("result", result);
                shown.put("next", result ? branch.then() : branch.otherwise());
            }
            case Definition.End end -> {}
        }
    }

    /** What a step's outputs look like before it runs: a placeholder naming each. */
    private Map<String, Object> placeholders(ProjectId project, Definition.Step step) {
        var names =
                switch (step) {
                    case Definition.CallApi call -> {
                        try {
                            yield List.copyOf(actions.action(project, call.actionId())
                                    .outputs()
                                    .keySet());
                        } catch (ApiException e) {
                            yield List.<String>of();
                        }
                    }
                    case Definition.SendGift gift -> List.of("send_id", "status");
                    case Definition.IssueCode code -> List.of("code", "publication_id");
                    case Definition.SendMessage message -> List.of("mail_id", "to");
                    case Definition.CreateTask task -> List.of("task_id");
                    default -> List.<String>of();
                };
        var placeholders = new LinkedHashMap<String, Object>();
        names.forEach(name -> placeholders.put(name, "<" + step.id() + "." + name + ">"));
        return placeholders;
    }
}
