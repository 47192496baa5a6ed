package io.bestow.connectors;

import io.bestow.shared.EventMeta;
import io.bestow.shared.Ids;
import io.bestow.shared.OutboundHttp;
import io.bestow.shared.OutboundRefused;
import io.bestow.shared.ProjectId;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders an action's request for a call and sends it: through the connector's rate limit and circuit breaker, with
 * its credentials (an OAuth 2.0 token refreshed once on a 401), retried by the action's policy with the same
 * idempotency key, every attempt written to the call log with secrets masked. A failed call emits
 * {@link ActionFailed}.
 */
@Component
class CallingAction {

    /** How much of a response body the call log and the API keep. */
    static final int BODY_LIMIT = 8_192;

    private static final Set<String> WITHOUT_BODY = Set.of("GET", "HEAD", "DELETE");
    private static final Set<String> RESTRICTED_HEADERS =
            Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding");

    private final PayloadTemplates templates;
    private final OAuthTokens tokens;
    private final ConnectorLimits limits;
    private final OutboundHttp http;
    private final Calls calls;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Clock clock;

    CallingAction(
            PayloadTemplates templates,
            OAuthTokens tokens,
            ConnectorLimits limits,
            OutboundHttp http,
            Calls calls,
            ApplicationEventPublisher events,
            JsonMapper json,
            Clock clock) {
        this.templates = templates;
        this.tokens = tokens;
        this.limits = limits;
        this.http = http;
        this.calls = calls;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    /**
     * The request an action makes with these variables, without credentials.
     *
     * @throws PayloadTemplates.Failed when a template fails (a variable is missing) or the payload is not JSON
     */
    RenderedRequest render(Action action, Connector connector, Map<String, Object> variables, String idempotencyKey) {
        var target = templates.text(action.url(), variables).trim();
        var url = target.startsWith("http://") || target.startsWith("https://")
                ? target
                : connector.baseUrl() + (target.isEmpty() || target.startsWith("/") ? "" : "/") + target;
        var query = new LinkedHashMap<String, String>();
        action.query().forEach((name, template) -> query.put(name, templates.text(template, variables)));
        if (!query.isEmpty()) {
            url += (url.contains("?") ? "&" : "?") + OAuthTokens.form(query);
        }
        try {
            URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new PayloadTemplates.Failed("The URL renders as " + url + ", which is not a valid URL: use"
                    + " | url_encode on values in a path");
        }
        var headers = new LinkedHashMap<String, String>();
        headers.put("Accept", "application/json");
        String body = null;
        if (action.body() != null && !WITHOUT_BODY.contains(action.method())) {
            var payload = templates.json(action.body(), variables);
            if (Connector.FORM.equals(connector.contentType())) {
                headers.put("Content-Type", "application/x-www-form-urlencoded");
                body = formBody(payload);
            } else {
                headers.put("Content-Type", "application/json");
                body = payload;
            }
        }
        action.headers().forEach((name, template) -> {
            var value = templates.text(template, variables);
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new PayloadTemplates.Failed("The header " + name + " renders with a line break");
            }
            headers.put(name, value);
        });
        if (action.idempotencyHeader() != null) {
            headers.put(action.idempotencyHeader(), idempotencyKey);
        }
        return new RenderedRequest(action.method(), url, headers, body);
    }

    private String formBody(String payload) {
        var node = json.readTree(payload);
        if (!(node instanceof ObjectNode object)) {
            throw new PayloadTemplates.Failed("A form connector's payload must render as a JSON object of fields");
        }
        var fields = new LinkedHashMap<String, String>();
        object.properties().forEach(field -> {
            var value = field.getValue();
            fields.put(
                    field.getKey(),
                    value.isString() ? value.asString() : value.isNull() ? "" : json.writeValueAsString(value));
        });
        return OAuthTokens.form(fields);
    }

    /** The request with the connector's static credentials or OAuth 2.0 token added. */
    private RenderedRequest authorized(RenderedRequest request, Connector connector, @Nullable String token) {
        var headers = new LinkedHashMap<>(request.headers());
        var query = new LinkedHashMap<String, String>();
        connector.authentication().apply(headers, query);
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        var url = request.url();
        if (!query.isEmpty()) {
            url += (url.contains("?") ? "&" : "?") + OAuthTokens.form(query);
        }
        return new RenderedRequest(request.method(), url, headers, request.body());
    }

    /** Renders and sends the action's request; never throws for the receiver's or the template's failures. */
    ActionRun call(
            ProjectId project,
            Action action,
            Connector connector,
            Map<String, Object> variables,
            String origin,
            @Nullable String idempotencyKey) {
        if (idempotencyKey != null) {
            var earlier = calls.succeeded(project, action.id(), idempotencyKey);
            if (earlier.isPresent()) {
                return replayed(earlier.get());
            }
        }
        var started = clock.instant();
        var execution = Ids.generate("run");
        var key = idempotencyKey != null ? idempotencyKey : execution;
        var run = new Run(execution, action, connector, origin, idempotencyKey, started, clock);
        RenderedRequest rendered;
        try {
            rendered = render(action, connector, variables, key);
        } catch (PayloadTemplates.Failed e) {
            var request = Map.<String, Object>of("method", action.method(), "url", action.url());
            log(project, run, 1, ActionRun.FAILED, null, e.getMessage(), request, null, null, 0);
            return failed(project, run, e.getMessage(), 1, null, request, null);
        }
        var missing = connector.authentication().missingSecrets();
        if (!missing.isEmpty()) {
            var error = "The connector has no " + String.join(", ", missing) + " yet: set it before calling";
            var request = rendered.shown(connector.secretValues());
            log(project, run, 1, ActionRun.FAILED, null, error, request, null, null, 0);
            return failed(project, run, error, 1, null, request, null);
        }
        var secrets = connector.secretValues();
        var retry = action.retry();
        var breaker = limits.breaker(connector);
        String rejectedToken = null;
        boolean refreshed = false;
        Map<String, Object> shownRequest = rendered.shown(secrets);
        for (int attempt = 1; ; attempt++) {
            var attemptStarted = System.nanoTime();
            String error;
            Integer status = null;
            Map<String, Object> shownResponse = null;
            Duration wait;
            boolean retryable;
            try {
                String token = null;
                if (connector.authentication().oauth()) {
                    token = tokens.accessToken(project, connector, rejectedToken);
                    secrets = List.copyOf(concat(secrets, token));
                }
                var request = authorized(rendered, connector, token);
                shownRequest = request.shown(secrets);
                if (!limits.permit(connector)) {
                    throw new Refusal("rate_limited: the connector's rate limit allowed no call within 10 s", true);
                }
                if (!breaker.tryAcquirePermission()) {
                    throw new Refusal(
                            "circuit_open: recent calls through this connector failed; calls resume after" + " at most "
                                    + ConnectorLimits.OPEN_FOR.toSeconds() + " s",
                            false);
                }
                var sentAt = System.nanoTime();
                HttpResponse<byte[]> response;
                try {
                    response = http.send(httpRequest(request, action));
                } catch (IOException e) {
                    breaker.onError(System.nanoTime() - sentAt, TimeUnit.NANOSECONDS, e);
                    throw e;
                } catch (OutboundRefused e) {
                    breaker.releasePermission();
                    throw e;
                }
                status = response.statusCode();
                var body = new String(response.body(), StandardCharsets.UTF_8);
                shownResponse = shownResponse(response, body, secrets);
                if (status / 100 == 2) {
                    breaker.onSuccess(System.nanoTime() - sentAt, TimeUnit.NANOSECONDS);
                    var outputs = outputs(action, body);
                    log(
                            project,
                            run,
                            attempt,
                            ActionRun.SUCCEEDED,
                            status,
                            null,
                            shownRequest,
                            shownResponse,
                            outputs,
                            elapsed(attemptStarted));
                    return run.finish(ActionRun.SUCCEEDED, null, attempt, status, shownRequest, shownResponse, outputs);
                }
                boolean overloaded = status == 429 || status / 100 == 5;
                if (overloaded) {
                    breaker.onError(
                            System.nanoTime() - sentAt, TimeUnit.NANOSECONDS, new IOException("HTTP " + status));
                } else {
                    breaker.onSuccess(System.nanoTime() - sentAt, TimeUnit.NANOSECONDS);
                }
                error = "The receiver answered " + status;
                if (status == 401 && token != null && !refreshed) {
                    // The token was refused before it expired: refresh it once and try again at once.
                    log(
                            project,
                            run,
                            attempt,
                            ActionRun.FAILED,
                            status,
                            error,
                            shownRequest,
                            shownResponse,
                            null,
                            elapsed(attemptStarted));
                    rejectedToken = token;
                    refreshed = true;
                    continue;
                }
                retryable = overloaded;
                wait = OutboundHttp.retryAfter(response, clock.instant()).orElse(backoff(retry, attempt));
            } catch (Refusal e) {
                error = e.getMessage();
                retryable = e.retryable;
                wait = backoff(retry, attempt);
            } catch (TokenRequestFailed | OutboundRefused e) {
                error = e.getMessage();
                retryable = false;
                wait = Duration.ZERO;
            } catch (HttpTimeoutException e) {
                error = "The receiver did not answer within " + action.timeoutMs() + " ms";
                retryable = true;
                wait = backoff(retry, attempt);
            } catch (IOException e) {
                error = "The receiver cannot be reached: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " " + e.getMessage());
                retryable = true;
                wait = backoff(retry, attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error = "Interrupted";
                retryable = false;
                wait = Duration.ZERO;
            }
            int attemptsAllowed = retry.maxAttempts() + (refreshed ? 1 : 0);
            boolean again = retryable && attempt < attemptsAllowed;
            if (again && wait.toMillis() > retry.maxRetryAfterMs()) {
                error += "; the receiver asked to wait " + wait.toSeconds() + " s, longer than this action waits";
                again = false;
            }
            log(
                    project,
                    run,
                    attempt,
                    ActionRun.FAILED,
                    status,
                    error,
                    shownRequest,
                    shownResponse,
                    null,
                    elapsed(attemptStarted));
            if (!again) {
                return failed(project, run, error, attempt, status, shownRequest, shownResponse);
            }
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return failed(
                        project,
                        run,
                        "Interrupted while waiting to retry",
                        attempt,
                        status,
                        shownRequest,
                        shownResponse);
            }
        }
    }

    /** A call not sent: refused by a limit of this node. */
    private static final class Refusal extends RuntimeException {
        final boolean retryable;

        Refusal(String message, boolean retryable) {
            super(message, null, false, false);
            this.retryable = retryable;
        }
    }

    /** A run under way: what finishes it into an {@link ActionRun}. */
    private record Run(
            String id,
            Action action,
            Connector connector,
            String origin,
            @Nullable String idempotencyKey,
            Instant started,
            Clock clock) {
        ActionRun finish(
                String outcome,
                @Nullable String error,
                int attempts,
                @Nullable Integer status,
                Map<String, Object> request,
                @Nullable Map<String, Object> response,
                Map<String, @Nullable Object> outputs) {
            return new ActionRun(
                    id,
                    action.id(),
                    connector.id(),
                    origin,
                    outcome,
                    error,
                    attempts,
                    status,
                    request,
                    response,
                    outputs,
                    Duration.between(started, clock.instant()).toMillis(),
                    started);
        }
    }

    /** Finishes a run as failed and says so with {@link ActionFailed}. */
    private ActionRun failed(
            ProjectId project,
            Run run,
            String error,
            int attempts,
            @Nullable Integer status,
            Map<String, Object> request,
            @Nullable Map<String, Object> response) {
        var failed = run.finish(ActionRun.FAILED, error, attempts, status, request, response, Map.of());
        events.publishEvent(new ActionFailed(EventMeta.of(project, clock), failed));
        return failed;
    }

    private HttpRequest httpRequest(RenderedRequest request, Action action) {
        var builder = HttpRequest.newBuilder(URI.create(request.url()))
                .timeout(Duration.ofMillis(action.timeoutMs()))
                .method(
                        request.method(),
                        request.body() == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(request.body()));
        request.headers().forEach((name, value) -> {
            if (!RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                builder.header(name, value);
            }
        });
        return builder.build();
    }

    private Map<String, Object> shownResponse(HttpResponse<byte[]> response, String body, List<String> secrets) {
        var shown = new LinkedHashMap<String, Object>();
        shown.put("status", response.statusCode());
        var headers = new LinkedHashMap<String, String>();
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":")) {
                headers.put(name, Masking.header(name, String.join(", ", values), secrets));
            }
        });
        shown.put("headers", headers);
        var masked = Masking.mask(body, secrets);
        shown.put("body", masked.length() > BODY_LIMIT ? masked.substring(0, BODY_LIMIT) : masked);
        if (masked.length() > BODY_LIMIT) {
            shown.put("body_truncated", true);
        }
        return shown;
    }

    private Map<String, @Nullable Object> outputs(Action action, String body) {
        if (action.outputs().isEmpty()) {
            return Map.of();
        }
        JsonNode parsed;
        try {
            parsed = body.isBlank() ? null : json.readTree(body);
        } catch (JacksonException e) {
            parsed = null;
        }
        return ResponseMapping.outputs(action.outputs(), parsed);
    }

    /** A run that already succeeded with the caller's idempotency key, as it went then. */
    private static ActionRun replayed(Call call) {
        Map<String, @Nullable Object> outputs = new LinkedHashMap<>();
        if (call.outputs() != null) {
            outputs.putAll(call.outputs());
        }
        return new ActionRun(
                call.executionId(),
                call.actionId(),
                call.connectorId(),
                call.origin(),
                ActionRun.SUCCEEDED,
                null,
                call.attempt(),
                call.status(),
                call.request(),
                call.response(),
                outputs,
                call.durationMs(),
                call.createdAt());
    }

    private void log(
            ProjectId project,
            Run run,
            int attempt,
            String outcome,
            @Nullable Integer status,
            @Nullable String error,
            Map<String, Object> request,
            @Nullable Map<String, Object> response,
            @Nullable Map<String, @Nullable Object> outputs,
            long durationMs) {
        @SuppressWarnings("unchecked")
        var loggedOutputs = outputs == null ? null : (Map<String, Object>) (Map<String, ?>) outputs;
        calls.insert(
                project,
                new Call(
                        Ids.generate("call"),
                        run.id(),
                        run.action().id(),
                        run.connector().id(),
                        run.origin(),
                        attempt,
                        outcome,
                        status,
                        error,
                        request,
                        response,
                        loggedOutputs,
                        durationMs,
                        clock.instant()),
                run.idempotencyKey());
    }

    /** Exponential backoff with jitter: between half and all of initial × 2^(attempt-1), capped. */
    private static Duration backoff(Action.Retry retry, int attempt) {
        var ceiling = Math.min(retry.maxBackoffMs(), retry.initialBackoffMs() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }

    private static long elapsed(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    private static List<String> concat(List<String> values, String value) {
        var all = new ArrayList<>(values);
        all.add(value);
        return all;
    }
}
