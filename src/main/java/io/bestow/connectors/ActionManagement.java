package io.bestow.connectors;

import io.bestow.customers.CustomerManagement;
import io.bestow.shared.ApiException;
import io.bestow.shared.EventMeta;
import io.bestow.shared.Ids;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.bestow.shared.RecentCache;
import io.bestow.shared.RequestBodies;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * External actions: the connectors module's API for defining templated requests, previewing and testing them, and
 * running them from other modules (journeys, campaign rules, fulfilment).
 */
@Service
public class ActionManagement {

    static final Set<String> FIELDS = Set.of(
            "name",
            "description",
            "connector_id",
            "method",
            "url",
            "headers",
            "query",
            "body",
            "outputs",
            "timeout_ms",
            "retry",
            "idempotency_header",
            "sample",
            "object");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final String DEFAULT_IDEMPOTENCY_HEADER = "Idempotency-Key";

    private final Actions actions;
    private final ConnectorManagement connectors;
    private final CallingAction calling;
    private final PayloadTemplates templates;
    private final Calls calls;
    private final CustomerManagement customers;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Clock clock;
    /** Actions as runs read them: a program calls one action for many participants in a row. */
    private final RecentCache<String, Action> running;

    ActionManagement(
            Actions actions,
            ConnectorManagement connectors,
            CallingAction calling,
            PayloadTemplates templates,
            Calls calls,
            CustomerManagement customers,
            ApplicationEventPublisher events,
            JsonMapper json,
            Clock clock) {
        this.actions = actions;
        this.connectors = connectors;
        this.calling = calling;
        this.templates = templates;
        this.calls = calls;
        this.customers = customers;
        this.events = events;
        this.json = json;
        this.clock = clock;
        this.running = new RecentCache<>(Duration.ofSeconds(5), clock);
    }

    /** An action by its id or its name. */
    public Action action(ProjectId project, String idOrName) {
        return actions.find(project, idOrName).orElseThrow(() -> ApiException.notFound("action", idOrName));
    }

    public List<Action> actions(ProjectId project, @Nullable String connector, Paging paging) {
        return actions.list(project, connectorId(project, connector), paging);
    }

    public long countActions(ProjectId project, @Nullable String connector) {
        return actions.count(project, connectorId(project, connector));
    }

    /** Creates an action; refused when a template does not parse or the payload does not render as JSON. */
    @Transactional
    public Action create(ProjectId project, JsonNode body) {
        var action = read(project, body, null, Ids.generate("act"), clock.instant());
        if (!actions.insert(project, action)) {
            throw duplicateName(action.name());
        }
        events.publishEvent(new ActionCreated(EventMeta.of(project, clock), action));
        return action;
    }

    @Transactional
    public Action update(ProjectId project, String idOrName, JsonNode body) {
        var existing = action(project, idOrName);
        var changed = read(project, body, existing, existing.id(), clock.instant());
        if (!actions.update(project, changed)) {
            throw duplicateName(changed.name());
        }
        forget(project, existing);
        forget(project, changed);
        events.publishEvent(new ActionUpdated(EventMeta.of(project, clock), changed));
        return changed;
    }

    @Transactional
    public Action delete(ProjectId project, String idOrName) {
        var existing = action(project, idOrName);
        actions.delete(project, existing.id());
        forget(project, existing);
        events.publishEvent(new ActionDeleted(EventMeta.of(project, clock), existing));
        return existing;
    }

    /**
     * Runs the action with these variables: renders, sends (with retries) and logs it. Never throws for the
     * receiver's failures or a template's: the run says what happened. The action and its connector are read once
     * per 5 seconds per node, so a change made on another node reaches runs here within that time.
     *
     * @param origin what made the call, for the log: {@code test}, {@code journey}, {@code campaign}, …
     * @param idempotencyKey sent on every attempt (when the action names an idempotency header), so that a receiver
     *     can tell a retry from a new request; a fresh one per run when null
     */
    public ActionRun run(
            ProjectId project,
            String idOrName,
            Map<String, Object> variables,
            String origin,
            @Nullable String idempotencyKey) {
        var action = running.get(project.value() + "/" + idOrName, key -> actions.find(project, idOrName))
                .orElseThrow(() -> ApiException.notFound("action", idOrName));
        var connector = connectors.forRun(project, action.connectorId());
        return calling.call(project, action, connector, variables, origin, idempotencyKey);
    }

    /**
     * The request the action would send, exactly (credentials masked), without sending it.
     *
     * @throws ApiException 422 when a template fails with these variables
     */
    public Map<String, Object> preview(ProjectId project, String idOrName, JsonNode input) {
        var action = action(project, idOrName);
        return preview(project, action.id(), variables(project, action, input));
    }

    /**
     * The request the action would send with these variables, exactly (credentials masked), without sending it.
     *
     * @throws ApiException 422 when a template fails with these variables
     */
    public Map<String, Object> preview(ProjectId project, String idOrName, Map<String, Object> variables) {
        var action = action(project, idOrName);
        var connector = connectors.connector(project, action.connectorId());
        try {
            var rendered = calling.render(action, connector, variables, "<idempotency key of the run>");
            var shown = new LinkedHashMap<String, Object>();
            shown.put("object", "action_preview");
            shown.put("action_id", action.id());
            shown.put("request", rendered.shown(connector.secretValues()));
            shown.put("authorization", connector.authentication().type());
            shown.put("variables", variables);
            return shown;
        } catch (PayloadTemplates.Failed e) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "template_failed", e.getMessage());
        }
    }

    /**
     * Runs the action once for real with sample variables ({@code data}), a customer's ({@code customer_id}) or the
     * action's own sample, and shows the exact request, the response and the outputs.
     */
    public ActionRun test(ProjectId project, String idOrName, JsonNode input) {
        var action = action(project, idOrName);
        return run(project, action.id(), variables(project, action, input), "test", null);
    }

    /**
     * Renders a Liquid text template (a message, a task title, a mapped value) with strict variables, as action
     * templates are.
     *
     * @throws ApiException 422 {@code template_failed} naming the missing variable or the syntax error
     */
    public String render(String template, Map<String, Object> variables) {
        try {
            return templates.text(template, variables);
        } catch (PayloadTemplates.Failed e) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "template_failed", e.getMessage());
        }
    }

    /** The action's templates (URL, headers, query and body), for checking which variables it uses. */
    public List<String> templatesOf(Action action) {
        var all = new ArrayList<String>();
        all.add(action.url());
        all.addAll(action.headers().values());
        all.addAll(action.query().values());
        if (action.body() != null) {
            all.add(action.body());
        }
        return all;
    }

    /** Forgets what runs read of the action, by id and by name, once the change commits. */
    private void forget(ProjectId project, Action action) {
        running.forgetAfterCommit(project.value() + "/" + action.id());
        running.forgetAfterCommit(project.value() + "/" + action.name());
    }

    /** Every action of a connector, oldest first. */
    List<Action> ofConnector(ProjectId project, String connectorId) {
        return actions.ofConnector(project, connectorId);
    }

    public Call call(ProjectId project, String id) {
        return calls.find(project, id).orElseThrow(() -> ApiException.notFound("call", id));
    }

    public List<Call> calls(ProjectId project, Calls.Filter filter, Paging paging) {
        return calls.list(project, filter, paging);
    }

    public long countCalls(ProjectId project, Calls.Filter filter) {
        return calls.count(project, filter);
    }

    private Map<String, Object> variables(ProjectId project, Action action, JsonNode input) {
        if (!input.isObject() && !input.isMissingNode() && !input.isNull()) {
            throw ApiException.invalid("The body must be an object with data or customer_id", null);
        }
        var variables = new LinkedHashMap<String, Object>();
        var data = input.path("data");
        if (data.isObject()) {
            variables.putAll(json.convertValue(data, new TypeReference<Map<String, Object>>() {}));
        } else if (!data.isMissingNode() && !data.isNull()) {
            throw ApiException.invalid("data must be an object of variables", Map.of("data", "must be an object"));
        }
        var customerId = input.path("customer_id");
        if (customerId.isString()) {
            var customer = customers
                    .findCustomer(project, customerId.asString())
                    .orElseThrow(() -> ApiException.notFound("customer", customerId.asString()));
            variables.put("customer", customerVariables(customer.asVariables()));
        }
        if (variables.isEmpty()) {
            variables.putAll(action.sample());
        }
        return variables;
    }

    /**
     * A customer as templates see it: every standard field is there, empty when the profile has none, so that
     * {@code | default: …} works and an optional field does not fail a call.
     */
    public static Map<String, Object> customerVariables(Map<String, Object> customer) {
        var variables = new LinkedHashMap<String, Object>();
        for (var field : List.of(
                "id", "source_id", "name", "first_name", "last_name", "email", "phone", "description", "birthdate")) {
            variables.put(field, "");
        }
        variables.putAll(customer);
        var address = new LinkedHashMap<String, Object>();
        for (var field : List.of("line_1", "line_2", "city", "state", "postal_code", "country")) {
            address.put(field, "");
        }
        if (customer.get("address") instanceof Map<?, ?> given) {
            given.forEach((key, value) -> address.put(String.valueOf(key), value));
        }
        variables.put("address", address);
        variables.putIfAbsent("metadata", Map.of());
        return variables;
    }

    private @Nullable String connectorId(ProjectId project, @Nullable String connector) {
        return connector == null
                ? null
                : connectors.connector(project, connector).id();
    }

    private Action read(ProjectId project, JsonNode body, @Nullable Action existing, String id, Instant now) {
        if (!body.isObject()) {
            throw ApiException.invalid("The action must be a JSON object", null);
        }
        for (var name : body.propertyNames()) {
            if (!FIELDS.contains(name)) {
                throw invalid(name, "is not an action field");
            }
        }
        var name = text(body, "name", existing == null ? null : existing.name());
        if (name == null || name.isBlank() || name.length() > 100) {
            throw invalid("name", "is required, at most 100 characters");
        }
        var connectorRef = text(body, "connector_id", existing == null ? null : existing.connectorId());
        if (connectorRef == null) {
            throw invalid("connector_id", "is required");
        }
        var connector = connectors
                .findConnector(project, connectorRef)
                .orElseThrow(() -> invalid("connector_id", "names no connector of this project"));
        var method = text(body, "method", existing == null ? "POST" : existing.method());
        method = method == null ? "POST" : method.toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw invalid("method", "must be GET, POST, PUT, PATCH or DELETE");
        }
        var url = text(body, "url", existing == null ? "" : existing.url());
        var headers = strings(body, "headers", existing == null ? Map.of() : existing.headers());
        headers.keySet().forEach(header -> {
            if (!HEADER_NAME.matcher(header).matches()) {
                throw invalid("headers." + header, "is not a valid header name");
            }
        });
        var query = strings(body, "query", existing == null ? Map.of() : existing.query());
        String payload = existing == null ? null : existing.body();
        if (body.has("body")) {
            var given = body.get("body");
            payload = given.isNull() ? null : given.isString() ? given.asString() : json.writeValueAsString(given);
        }
        var outputs = strings(body, "outputs", existing == null ? Map.of() : existing.outputs());
        outputs.forEach((output, path) -> {
            try {
                ResponseMapping.pointer(path);
            } catch (IllegalArgumentException e) {
                throw invalid("outputs." + output, e.getMessage());
            }
        });
        int timeout = existing == null ? 10_000 : existing.timeoutMs();
        if (body.has("timeout_ms")) {
            timeout = (int) number(body.get("timeout_ms"), "timeout_ms", 100, 60_000);
        }
        var retry = existing == null ? Action.Retry.DEFAULT : existing.retry();
        if (body.has("retry")) {
            retry = retry(body.get("retry"), retry);
        }
        var idempotencyHeader = existing == null ? DEFAULT_IDEMPOTENCY_HEADER : existing.idempotencyHeader();
        if (body.has("idempotency_header")) {
            idempotencyHeader = text(body, "idempotency_header", null);
            if (idempotencyHeader != null
                    && !HEADER_NAME.matcher(idempotencyHeader).matches()) {
                throw invalid("idempotency_header", "is not a valid header name");
            }
        }
        Map<String, Object> sample = existing == null ? Map.of() : existing.sample();
        if (body.has("sample")) {
            if (!body.get("sample").isObject()) {
                throw invalid("sample", "must be an object of variables");
            }
            sample = json.convertValue(body.get("sample"), new TypeReference<Map<String, Object>>() {});
        }
        check("url", url, false, sample);
        for (var header : headers.entrySet()) {
            check("headers." + header.getKey(), header.getValue(), false, sample);
        }
        for (var parameter : query.entrySet()) {
            check("query." + parameter.getKey(), parameter.getValue(), false, sample);
        }
        if (payload != null) {
            check("body", payload, true, sample);
        }
        var description = body.has("description")
                ? text(body, "description", null)
                : existing == null ? null : existing.description();
        return new Action(
                id,
                name.trim(),
                description,
                connector.id(),
                method,
                url == null ? "" : url,
                headers,
                query,
                payload,
                outputs,
                timeout,
                retry,
                idempotencyHeader,
                sample,
                existing == null ? now : existing.createdAt(),
                now);
    }

    private void check(String field, @Nullable String template, boolean isJson, Map<String, Object> sample) {
        if (template == null) {
            return;
        }
        try {
            templates.check(template, isJson, sample);
        } catch (PayloadTemplates.Failed e) {
            throw ApiException.invalid(e.getMessage() + " (the action's " + field + ")", Map.of(field, e.getMessage()));
        }
    }

    private Action.Retry retry(JsonNode node, Action.Retry base) {
        if (!node.isObject()) {
            throw invalid("retry", "must be an object");
        }
        for (var name : node.propertyNames()) {
            if (!Set.of("max_attempts", "initial_backoff_ms", "max_backoff_ms", "max_retry_after_ms")
                    .contains(name)) {
                throw invalid("retry." + name, "is not a retry setting");
            }
        }
        return new Action.Retry(
                node.has("max_attempts")
                        ? (int) number(node.get("max_attempts"), "retry.max_attempts", 1, 10)
                        : base.maxAttempts(),
                node.has("initial_backoff_ms")
                        ? number(node.get("initial_backoff_ms"), "retry.initial_backoff_ms", 0, 60_000)
                        : base.initialBackoffMs(),
                node.has("max_backoff_ms")
                        ? number(node.get("max_backoff_ms"), "retry.max_backoff_ms", 0, 600_000)
                        : base.maxBackoffMs(),
                node.has("max_retry_after_ms")
                        ? number(node.get("max_retry_after_ms"), "retry.max_retry_after_ms", 0, 600_000)
                        : base.maxRetryAfterMs());
    }

    private static long number(JsonNode node, String field, long min, long max) {
        if (!node.isIntegralNumber() || node.asLong() < min || node.asLong() > max) {
            throw invalid(field, "must be a whole number from " + min + " to " + max);
        }
        return node.asLong();
    }

    private static Map<String, String> strings(JsonNode body, String field, Map<String, String> fallback) {
        var node = body.get(field);
        if (node == null) {
            return fallback;
        }
        if (node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw invalid(field, "must be an object of strings");
        }
        var values = new LinkedHashMap<String, String>();
        for (var entry : node.properties()) {
            if (!entry.getValue().isString()) {
                throw invalid(field + "." + entry.getKey(), "must be a string");
            }
            values.put(entry.getKey(), entry.getValue().asString());
        }
        return values;
    }

    private static @Nullable String text(JsonNode body, String field, @Nullable String fallback) {
        return RequestBodies.text(body, field, fallback, ActionManagement::invalid);
    }

    static ApiException invalid(String field, String problem) {
        return ApiException.invalid("The action's " + field + " " + problem, Map.of(field, problem));
    }

    private static ApiException duplicateName(String name) {
        return ApiException.conflict("duplicate_found", "An action named " + name + " already exists");
    }
}
