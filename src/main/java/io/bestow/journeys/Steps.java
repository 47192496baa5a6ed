package io.bestow.journeys;

import io.bestow.codes.Publications;
import io.bestow.connectors.ActionManagement;
import io.bestow.connectors.ActionRun;
import io.bestow.customers.Customer;
import io.bestow.customers.CustomerManagement;
import io.bestow.gifts.SendManagement;
import io.bestow.messaging.Mail;
import io.bestow.messaging.MailManagement;
import io.bestow.shared.ApiException;
import io.bestow.shared.Expressions;
import io.bestow.shared.Hashes;
import io.bestow.shared.ProjectId;
import io.bestow.tasks.Task;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What each kind of step does for one participant, and what it would do: the variables templates and conditions see
 * ({@code customer}, {@code event}, {@code steps.<id>.outputs}, {@code previous}, {@code participant}), the rendering
 * of mappings, messages and tasks, and the calls into the modules that carry the steps out.
 */
@Component
class Steps {

    private final ActionManagement actions;
    private final SendManagement sends;
    private final Publications publications;
    private final MailManagement mails;
    private final CustomerManagement customers;
    private final Expressions expressions;
    private final JsonMapper json;

    Steps(
            ActionManagement actions,
            SendManagement sends,
            Publications publications,
            MailManagement mails,
            CustomerManagement customers,
            Expressions expressions,
            JsonMapper json) {
        this.actions = actions;
        this.sends = sends;
        this.publications = publications;
        this.mails = mails;
        this.customers = customers;
        this.expressions = expressions;
        this.json = json;
    }

    /** The variables of a participant: the customer as it is now, and what the participant carries. */
    static Map<String, Object> variables(
            Customer customer, Map<String, Object> state, String participantId, String programId, int version) {
        var variables = new LinkedHashMap<String, Object>();
        variables.put("customer", ActionManagement.customerVariables(customer.asVariables()));
        variables.put("event", state.getOrDefault("event", Map.of()));
        variables.put("steps", state.getOrDefault("steps", Map.of()));
        variables.put("previous", state.getOrDefault("previous", Map.of("succeeded", true)));
        variables.put("participant", Map.of("id", participantId, "program_id", programId, "version", version));
        return variables;
    }

    /**
     * The idempotency key of a step for a participant: derived from program, participant and step (a step runs at
     * most once per participation, since the graph has no cycles), so a run repeated after a crash is recognised.
     */
    static String idempotencyKey(String programId, String participantId, String stepId) {
        return "prg_"
                + Hashes.sha256Hex(programId + "/" + participantId + "/" + stepId)
                        .substring(0, 32);
    }

    // ---- call_api -------------------------------------------------------------------------------------------------

    /** The mapping rendered: strings are Liquid templates over the variables, other values are taken as they are. */
    Map<String, Object> mapped(Definition.CallApi step, Map<String, Object> variables) {
        var mapped = new LinkedHashMap<String, Object>();
        step.mapping().forEach((name, value) -> mapped.put(name, renderValue(value, variables)));
        return mapped;
    }

    /** What the action sees: the participant's variables with the mapped fields on top. */
    Map<String, Object> actionVariables(Definition.CallApi step, Map<String, Object> variables) {
        var all = new LinkedHashMap<>(variables);
        all.putAll(mapped(step, variables));
        return all;
    }

    ActionRun callApi(ProjectId project, Definition.CallApi step, Map<String, Object> variables, String key) {
        return actions.run(project, step.actionId(), actionVariables(step, variables), "journey", key);
    }

    Map<String, Object> previewCall(ProjectId project, Definition.CallApi step, Map<String, Object> variables) {
        return actions.preview(project, step.actionId(), actionVariables(step, variables));
    }

    // ---- local steps ----------------------------------------------------------------------------------------------

    /** Sends the gift; the outputs are the send's id and status. */
    Map<String, Object> sendGift(
            ProjectId project,
            Definition.SendGift step,
            Customer customer,
            Map<String, Object> variables,
            String programId,
            String participantId) {
        var send =
                sends.create(project, json.valueToTree(sendBody(step, customer, variables, programId, participantId)));
        return Map.of("send_id", send.id(), "status", send.status().value());
    }

    Map<String, Object> sendBody(
            Definition.SendGift step,
            Customer customer,
            Map<String, Object> variables,
            String programId,
            String participantId) {
        var body = new LinkedHashMap<String, Object>();
        body.put("gift_id", step.giftId());
        if (step.budgetId() != null) {
            body.put("budget_id", step.budgetId());
        }
        body.put("recipient", Map.of("id", customer.id()));
        if (step.message() != null) {
            body.put("message", actions.render(step.message(), variables));
        }
        if (step.campaign() != null) {
            body.put("campaign", step.campaign());
        }
        body.put("metadata", Map.of("program_id", programId, "participant_id", participantId, "step", step.id()));
        return body;
    }

    /** Publishes a code of the campaign; the output is the code. Idempotent per participant and step. */
    Map<String, Object> issueCode(
            ProjectId project, Definition.IssueCode step, Customer customer, String programId, String participantId) {
        var body = json.createObjectNode();
        body.put("campaign", step.campaign());
        body.putObject("customer").put("id", customer.id());
        body.put("source_id", idempotencyKey(programId, participantId, step.id()));
        var publication = publications.publish(project, body, false);
        var outputs = new LinkedHashMap<String, Object>();
        outputs.put("code", publication.code());
        outputs.put("publication_id", publication.id());
        return outputs;
    }

    Mail.Draft message(Definition.SendMessage step, Map<String, Object> variables, String participantId) {
        var to = actions.render(step.to(), variables).trim();
        if (to.isEmpty() || !to.contains("@")) {
            throw new ApiException(
                    HttpStatus.UNPROCESSABLE_ENTITY,
                    "no_recipient",
                    "The message has no e-mail address to go to (" + step.to() + " renders as \"" + to + "\")");
        }
        return new Mail.Draft(
                to,
                actions.render(step.subject(), variables),
                actions.render(step.text(), variables),
                null,
                "program.message",
                participantId);
    }

    Map<String, Object> sendMessage(
            ProjectId project, Definition.SendMessage step, Map<String, Object> variables, String participantId) {
        var mail = mails.send(project, message(step, variables, participantId));
        return Map.of("mail_id", mail.id(), "to", mail.to());
    }

    Task.Draft task(
            Definition.CreateTask step,
            Customer customer,
            Map<String, Object> variables,
            String programId,
            String participantId,
            Instant now) {
        var assignee = step.assignee() == null
                ? null
                : actions.render(step.assignee(), variables).trim();
        return new Task.Draft(
                actions.render(step.title(), variables),
                step.description() == null ? null : actions.render(step.description(), variables),
                customer.id(),
                assignee == null || assignee.isEmpty() ? null : assignee,
                step.dueInDays() == null ? null : now.plus(Duration.ofDays(step.dueInDays())),
                "program",
                programId,
                participantId,
                Map.of("step", step.id()));
    }

    /** The metadata the step sets, rendered. */
    Map<String, Object> metadata(Definition.UpdateCustomer step, Map<String, Object> variables) {
        var values = new LinkedHashMap<String, Object>();
        step.metadata().forEach((name, value) -> values.put(name, renderValue(value, variables)));
        return values;
    }

    Map<String, Object> updateCustomer(
            ProjectId project, Definition.UpdateCustomer step, Customer customer, Map<String, Object> variables) {
        var values = metadata(step, variables);
        ObjectNode body = json.createObjectNode();
        var merged = new LinkedHashMap<>(customer.metadata());
        merged.putAll(values);
        body.set("metadata", json.valueToTree(merged));
        customers.update(project, customer.id(), body);
        return Map.of("metadata", values);
    }

    // ---- wait and branch ------------------------------------------------------------------------------------------

    /** When a wait that starts now ends. */
    Instant waitUntil(Definition.Wait step, Customer customer, Definition.Settings settings, Instant now) {
        if (step.duration() != null) {
            return now.plus(step.duration());
        }
        if (step.until() != null) {
            return step.until();
        }
        var date = date(customer, step.untilAttribute());
        if (date == null) {
            throw new ApiException(
                    HttpStatus.UNPROCESSABLE_ENTITY,
                    "no_date",
                    "The customer has no date in " + step.untilAttribute() + " to wait for");
        }
        return date.plusDays(step.offsetDays())
                .atTime(settings.at())
                .atZone(settings.timeZone())
                .toInstant();
    }

    /** A date attribute of a customer: created_at, birthdate, or metadata.<field> holding an ISO date. */
    static @Nullable LocalDate date(Customer customer, @Nullable String attribute) {
        if (attribute == null) {
            return null;
        }
        if (attribute.equals("created_at")) {
            return customer.createdAt().atZone(ZoneOffset.UTC).toLocalDate();
        }
        if (attribute.equals("birthdate")) {
            return customer.birthdate();
        }
        var value = customer.metadata().get(attribute.substring("metadata.".length()));
        if (value == null) {
            return null;
        }
        try {
            var text = value.toString();
            return LocalDate.parse(text.length() > 10 ? text.substring(0, 10) : text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    boolean branch(Definition.Branch step, Map<String, Object> variables) {
        if (step.condition().equals(Definition.Branch.PREVIOUS_SUCCEEDED)) {
            return variables.get("previous") instanceof Map<?, ?> previous
                    && Boolean.TRUE.equals(previous.get("succeeded"));
        }
        return expressions
                .predicate(step.condition(), Definition.STEP_VARIABLES.toArray(String[]::new))
                .test(variables);
    }

    private Object renderValue(@Nullable Object value, Map<String, Object> variables) {
        if (value instanceof String template) {
            return actions.render(template, variables);
        }
        if (value instanceof Map<?, ?> map) {
            var rendered = new LinkedHashMap<String, Object>();
            map.forEach((key, inner) -> rendered.put(String.valueOf(key), renderValue(inner, variables)));
            return rendered;
        }
        if (value instanceof List<?> list) {
            var rendered = new ArrayList<Object>();
            list.forEach(inner -> rendered.add(renderValue(inner, variables)));
            return rendered;
        }
        return value == null ? "" : value;
    }
}
