package io.bestow.webhooks;

import io.bestow.shared.ApiException;
import io.bestow.shared.EventEnvelope;
import io.bestow.shared.Expressions;
import io.bestow.shared.Ids;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.bestow.shared.RequestBodies;
import java.net.URI;
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
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Webhook endpoints and their deliveries: the webhooks module's API. */
@Service
public class WebhookManagement {

    private static final Set<String> FIELDS = Set.of(
            "url", "description", "event_types", "filter", "headers", "enabled", "max_in_flight", "metadata", "object");
    private static final Pattern EVENT_TYPE = Pattern.compile("\\*|[a-z0-9_]+(\\.[a-z0-9_]+)*(\\.\\*)?");
    private static final Set<String> RESERVED_HEADERS = Set.of(
            "content-type",
            "content-length",
            "host",
            "user-agent",
            "webhook-id",
            "webhook-timestamp",
            "webhook-signature",
            "connection",
            "transfer-encoding");
    private static final Duration DEFAULT_GRACE = Duration.ofHours(24);

    private final Endpoints endpoints;
    private final Deliveries deliveries;
    private final EventStream stream;
    private final FanOut fanOut;
    private final Expressions expressions;
    private final JsonMapper json;
    private final Clock clock;

    WebhookManagement(
            Endpoints endpoints,
            Deliveries deliveries,
            EventStream stream,
            FanOut fanOut,
            Expressions expressions,
            JsonMapper json,
            Clock clock) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.stream = stream;
        this.fanOut = fanOut;
        this.expressions = expressions;
        this.json = json;
        this.clock = clock;
    }

    public Endpoint endpoint(ProjectId project, String id) {
        return endpoints.find(project, id).orElseThrow(() -> ApiException.notFound("webhook endpoint", id));
    }

    public List<Endpoint> endpoints(ProjectId project, Paging paging) {
        return endpoints.list(project, paging);
    }

    public long countEndpoints(ProjectId project) {
        return endpoints.count(project);
    }

    /** Registers an endpoint with a new signing secret. */
    @Transactional
    public Endpoint create(ProjectId project, JsonNode body) {
        var now = clock.instant();
        var endpoint = read(body, null, Ids.generate("wh"), Signatures.newSecret(), now);
        endpoints.insert(project, endpoint);
        return endpoint;
    }

    /** Changes the given settings; enabling a disabled endpoint forgets why it was disabled. */
    @Transactional
    public Endpoint update(ProjectId project, String id, JsonNode body) {
        var existing = endpoint(project, id);
        var changed = read(body, existing, existing.id(), existing.signingSecret(), clock.instant());
        endpoints.update(project, changed);
        return changed;
    }

    /** Deletes the endpoint with its deliveries and their attempts. */
    @Transactional
    public Endpoint delete(ProjectId project, String id) {
        var existing = endpoint(project, id);
        endpoints.delete(project, existing.id());
        return existing;
    }

    /**
     * Issues a new signing secret. The old one keeps signing beside it (two signatures, space-separated) for the
     * grace period, so that receivers can switch without missing a delivery.
     */
    @Transactional
    public Endpoint rotateSecret(ProjectId project, String id, @Nullable Duration grace) {
        var existing = endpoint(project, id);
        var now = clock.instant();
        var rotated = new Endpoint(
                existing.id(),
                existing.url(),
                existing.description(),
                existing.eventTypes(),
                existing.filter(),
                existing.headers(),
                existing.enabled(),
                existing.disabledReason(),
                existing.maxInFlight(),
                Signatures.newSecret(),
                existing.signingSecret(),
                now.plus(grace == null ? DEFAULT_GRACE : grace),
                existing.failingSince(),
                existing.metadata(),
                existing.createdAt(),
                now);
        endpoints.update(project, rotated);
        return rotated;
    }

    /** Sends a {@code webhook.test} event to this endpoint only; the delivery's id. */
    @Transactional
    public Map<String, Object> test(ProjectId project, String id) {
        var endpoint = endpoint(project, id);
        var now = clock.instant();
        var object = new LinkedHashMap<String, Object>();
        object.put("object", "webhook_test");
        object.put("endpoint_id", endpoint.id());
        object.put("message", "A test event from Bestow");
        var envelope = new EventEnvelope(
                Ids.generate("evt"),
                "event",
                project,
                now,
                "webhook.test",
                Map.of("object", object),
                Map.of("source", "API"));
        var delivery = stream.appendFor(envelope, endpoint.id());
        return Map.of("object", "webhook_test", "event_id", envelope.id(), "delivery_id", delivery);
    }

    public Delivery delivery(ProjectId project, String id) {
        return deliveries.find(project, id).orElseThrow(() -> ApiException.notFound("delivery", id));
    }

    public List<Delivery> deliveries(ProjectId project, String endpointId, @Nullable String status, Paging paging) {
        return deliveries.list(project, endpoint(project, endpointId).id(), status, paging);
    }

    public long countDeliveries(ProjectId project, String endpointId, @Nullable String status) {
        return deliveries.count(project, endpoint(project, endpointId).id(), status);
    }

    /** Sends a delivery again at once, with the same {@code webhook-id}. */
    @Transactional
    public Delivery retry(ProjectId project, String id) {
        var delivery = delivery(project, id);
        if (!endpoint(project, delivery.endpointId()).enabled()) {
            throw ApiException.conflict("endpoint_disabled", "The endpoint is disabled: enable it first");
        }
        if (!deliveries.retry(project, id, clock.instant())) {
            throw ApiException.conflict("delivery_in_progress", "The delivery is being sent right now");
        }
        fanOut.wakeAfterCommit();
        return delivery(project, id);
    }

    /** Sends every delivery of the endpoint that failed since the time again; how many. */
    @Transactional
    public int retryFailed(ProjectId project, String endpointId, Instant since) {
        var endpoint = endpoint(project, endpointId);
        if (!endpoint.enabled()) {
            throw ApiException.conflict("endpoint_disabled", "The endpoint is disabled: enable it first");
        }
        int count = deliveries.retryFailed(project, endpoint.id(), since, clock.instant());
        fanOut.wakeAfterCommit();
        return count;
    }

    private Endpoint read(JsonNode body, @Nullable Endpoint existing, String id, String secret, Instant now) {
        if (!body.isObject()) {
            throw ApiException.invalid("The webhook endpoint must be a JSON object", null);
        }
        for (var name : body.propertyNames()) {
            if (!FIELDS.contains(name)) {
                throw invalid(name, "is not a webhook endpoint field");
            }
        }
        var url = text(body, "url", existing == null ? null : existing.url());
        if (url == null) {
            throw invalid("url", "is required");
        }
        try {
            var uri = URI.create(url.trim());
            if (!uri.isAbsolute()
                    || uri.getHost() == null
                    || !Set.of("http", "https").contains(uri.getScheme())) {
                throw invalid("url", "must be an absolute http or https URL");
            }
        } catch (IllegalArgumentException e) {
            throw invalid("url", "must be an absolute http or https URL");
        }
        List<String> types = existing == null ? null : existing.eventTypes();
        if (body.has("event_types")) {
            var node = body.get("event_types");
            if (!node.isArray() || node.isEmpty()) {
                throw invalid("event_types", "must be a non-empty list such as [\"redemption.succeeded\", \"send.*\"]");
            }
            types = new ArrayList<>();
            for (var type : node) {
                if (!type.isString() || !EVENT_TYPE.matcher(type.asString()).matches()) {
                    throw invalid("event_types", "holds " + type + ", which is not an event type, x.* or *");
                }
                types.add(type.asString());
            }
        }
        if (types == null) {
            throw invalid("event_types", "is required, such as [\"redemption.succeeded\", \"send.*\"] or [\"*\"]");
        }
        var filter = body.has("filter") ? text(body, "filter", null) : existing == null ? null : existing.filter();
        if (filter != null && !filter.isBlank()) {
            expressions.predicate(filter, "event");
        } else {
            filter = null;
        }
        Map<String, String> headers = existing == null ? Map.of() : existing.headers();
        if (body.has("headers")) {
            var node = body.get("headers");
            if (!node.isObject()) {
                throw invalid("headers", "must be an object of strings");
            }
            var values = new LinkedHashMap<String, String>();
            for (var entry : node.properties()) {
                if (!entry.getValue().isString()
                        || RESERVED_HEADERS.contains(entry.getKey().toLowerCase(Locale.ROOT))
                        || entry.getValue().asString().contains("\n")
                        || entry.getValue().asString().contains("\r")) {
                    throw invalid("headers." + entry.getKey(), "is reserved or not a one-line string");
                }
                values.put(entry.getKey(), entry.getValue().asString());
            }
            headers = values;
        }
        boolean enabled = existing == null || existing.enabled();
        if (body.has("enabled")) {
            if (!body.get("enabled").isBoolean()) {
                throw invalid("enabled", "must be true or false");
            }
            enabled = body.get("enabled").asBoolean();
        }
        int maxInFlight = existing == null ? 10 : existing.maxInFlight();
        if (body.has("max_in_flight")) {
            var node = body.get("max_in_flight");
            if (!node.isIntegralNumber() || node.asInt() < 1 || node.asInt() > 100) {
                throw invalid("max_in_flight", "must be a whole number from 1 to 100");
            }
            maxInFlight = node.asInt();
        }
        Map<String, Object> metadata = existing == null ? Map.of() : existing.metadata();
        if (body.has("metadata")) {
            if (!body.get("metadata").isObject()) {
                throw invalid("metadata", "must be an object");
            }
            metadata = json.convertValue(body.get("metadata"), new TypeReference<Map<String, Object>>() {});
        }
        boolean reenabled = enabled && existing != null && !existing.enabled();
        return new Endpoint(
                id,
                url.trim(),
                body.has("description")
                        ? text(body, "description", null)
                        : existing == null ? null : existing.description(),
                List.copyOf(types),
                filter,
                headers,
                enabled,
                enabled ? null : existing == null ? null : existing.disabledReason(),
                maxInFlight,
                secret,
                existing == null ? null : existing.previousSecret(),
                existing == null ? null : existing.previousSecretUntil(),
                reenabled || existing == null ? null : existing.failingSince(),
                metadata,
                existing == null ? now : existing.createdAt(),
                now);
    }

    private static @Nullable String text(JsonNode body, String field, @Nullable String fallback) {
        return RequestBodies.text(body, field, fallback, WebhookManagement::invalid);
    }

    private static ApiException invalid(String field, String problem) {
        return new ApiException(
                HttpStatus.UNPROCESSABLE_ENTITY,
                "invalid_payload",
                "The webhook endpoint's " + field + " " + problem,
                Map.of(field, problem));
    }
}
