package io.bestow.connectors;

import io.bestow.shared.ApiException;
import io.bestow.shared.EventMeta;
import io.bestow.shared.Expressions;
import io.bestow.shared.Ids;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.bestow.shared.RequestBodies;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.JsonPointer;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Connectors: the connectors module's API for its controllers and the other modules. */
@Service
public class ConnectorManagement {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static final Set<String> FIELDS = Set.of(
            "name",
            "description",
            "base_url",
            "content_type",
            "auth",
            "rate_limit_per_second",
            "inbound",
            "metadata",
            "object");
    private static final Set<String> INBOUND_FIELDS = Set.of(
            "verification",
            "secret",
            "signature_header",
            "timestamp_header",
            "id_pointer",
            "tolerance_seconds",
            "rules");
    private static final Set<String> RULE_FIELDS =
            Set.of("when", "effect", "customer", "code", "amount", "reference", "send", "status");
    private static final Set<String> EFFECTS = Set.of(
            InboundSettings.Rule.RECONCILE,
            InboundSettings.Rule.RECORD_REDEMPTION,
            InboundSettings.Rule.REDEEM_CODE,
            InboundSettings.Rule.SEND_STATUS);

    private final Connectors connectors;
    private final OAuthTokens tokens;
    private final Expressions expressions;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Clock clock;

    ConnectorManagement(
            Connectors connectors,
            OAuthTokens tokens,
            Expressions expressions,
            ApplicationEventPublisher events,
            JsonMapper json,
            Clock clock) {
        this.connectors = connectors;
        this.tokens = tokens;
        this.expressions = expressions;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    /** A connector by its id or its name. */
    public Connector connector(ProjectId project, String idOrName) {
        return connectors.find(project, idOrName).orElseThrow(() -> ApiException.notFound("connector", idOrName));
    }

    /** The connector an action's run goes through, as read at most 5 seconds ago on this node. */
    Connector forRun(ProjectId project, String id) {
        return connectors.recent(project, id).orElseThrow(() -> ApiException.notFound("connector", id));
    }

    public Optional<Connector> findConnector(ProjectId project, String idOrName) {
        return connectors.find(project, idOrName);
    }

    public List<Connector> connectors(ProjectId project, Paging paging) {
        return connectors.list(project, paging);
    }

    public long countConnectors(ProjectId project) {
        return connectors.count(project);
    }

    @Transactional
    public Connector create(ProjectId project, JsonNode body) {
        return create(project, body, true);
    }

    /**
     * Creates a connector; from a definition (an export or a template) its secrets may be missing, and the connector
     * then says which until an admin sets them.
     */
    Connector create(ProjectId project, JsonNode body, boolean requireSecrets) {
        var now = clock.instant();
        var connector = read(body, null, Ids.generate("conn"), now, requireSecrets);
        if (!connectors.insert(project, connector)) {
            throw duplicateName(connector.name());
        }
        events.publishEvent(new ConnectorCreated(EventMeta.of(project, clock), connector));
        return connector;
    }

    /**
     * Changes the given settings; secrets left out stay as they were. Changing how the connector authenticates
     * drops the tokens it had, so an authorization-code connector must be authorized again.
     */
    @Transactional
    public Connector update(ProjectId project, String idOrName, JsonNode body) {
        var existing = connector(project, idOrName);
        var changed = read(body, existing, existing.id(), clock.instant(), true);
        if (!changed.authentication().sameGrantAs(existing.authentication())) {
            changed = changed.withTokens(null, null, null, null);
        }
        if (!connectors.update(project, changed)) {
            throw duplicateName(changed.name());
        }
        events.publishEvent(new ConnectorUpdated(EventMeta.of(project, clock), changed));
        return changed;
    }

    /** Deletes a connector that no action uses. */
    @Transactional
    public Connector delete(ProjectId project, String idOrName) {
        var existing = connector(project, idOrName);
        if (connectors.hasActions(project, existing.id())) {
            throw ApiException.conflict(
                    "connector_in_use", "Actions use connector " + existing.name() + ": delete them first");
        }
        connectors.delete(project, existing.id());
        events.publishEvent(new ConnectorDeleted(EventMeta.of(project, clock), existing));
        return existing;
    }

    /**
     * What an inbound request to {@code /v1/inbound/{connector_id}} is checked against: the connector's inbound
     * settings and its project, found by the connector's id alone (the request carries no API key).
     */
    public Optional<InboundCallback> inboundCallback(String connectorId) {
        return connectors
                .findAnywhere(connectorId)
                .filter(found -> found.getValue().inbound() != null)
                .map(found -> new InboundCallback(
                        found.getKey(),
                        found.getValue().id(),
                        Objects.requireNonNull(found.getValue().inbound())));
    }

    /** Starts the OAuth 2.0 authorization-code flow: where to send the admin's browser. */
    @Transactional
    public URI authorizationUrl(ProjectId project, String idOrName) {
        return tokens.authorizationUrl(project, connector(project, idOrName));
    }

    /**
     * Finishes the authorization-code flow that the provider redirected back with.
     *
     * @throws ApiException 400 when the state is unknown, used or expired, or the provider refused the code
     */
    public Connector completeAuthorization(String state, String code) {
        try {
            return tokens.complete(state, code);
        } catch (TokenRequestFailed e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "authorization_failed", e.getMessage());
        }
    }

    private Connector read(
            JsonNode body, @Nullable Connector existing, String id, Instant now, boolean requireSecrets) {
        if (!body.isObject()) {
            throw ApiException.invalid("The connector must be a JSON object", null);
        }
        for (var name : body.propertyNames()) {
            if (!FIELDS.contains(name)) {
                throw ApiException.invalid(
                        "The connector has an unknown field: " + name, Map.of(name, "is not a connector field"));
            }
        }
        var name = text(body, "name", existing == null ? null : existing.name());
        if (name == null || name.isBlank() || name.length() > 100) {
            throw ConnectorAuth.invalid("name", "is required, at most 100 characters");
        }
        var baseUrl = text(body, "base_url", existing == null ? null : existing.baseUrl());
        if (baseUrl == null) {
            throw ConnectorAuth.invalid("base_url", "is required");
        }
        ConnectorAuth.absoluteUrl(baseUrl, "base_url");
        var contentType = text(body, "content_type", existing == null ? Connector.JSON : existing.contentType());
        if (!Connector.JSON.equals(contentType) && !Connector.FORM.equals(contentType)) {
            throw ConnectorAuth.invalid("content_type", "must be json or form");
        }
        var auth = ConnectorAuth.parse(
                body.get("auth"), existing == null ? null : existing.authentication(), requireSecrets);
        Integer rateLimit = existing == null ? null : existing.rateLimitPerSecond();
        if (body.has("rate_limit_per_second")) {
            var limit = body.get("rate_limit_per_second");
            if (limit.isNull()) {
                rateLimit = null;
            } else if (!limit.isIntegralNumber() || limit.asLong() < 1 || limit.asLong() > 10_000) {
                throw ConnectorAuth.invalid("rate_limit_per_second", "must be a whole number from 1 to 10000");
            } else {
                rateLimit = limit.asInt();
            }
        }
        Map<String, Object> metadata = existing == null ? Map.of() : existing.metadata();
        if (body.has("metadata")) {
            if (!body.get("metadata").isObject()) {
                throw ConnectorAuth.invalid("metadata", "must be an object");
            }
            metadata = json.convertValue(body.get("metadata"), new TypeReference<Map<String, Object>>() {});
        }
        var description = body.has("description")
                ? text(body, "description", null)
                : existing == null ? null : existing.description();
        var inbound = existing == null ? null : existing.inbound();
        if (body.has("inbound")) {
            inbound = body.get("inbound").isNull() ? null : inbound(body.get("inbound"), inbound);
        }
        return new Connector(
                id,
                name.trim(),
                description,
                stripSlash(baseUrl.trim()),
                contentType,
                auth,
                existing == null ? null : existing.accessToken(),
                existing == null ? null : existing.refreshToken(),
                existing == null ? null : existing.tokenExpiresAt(),
                existing == null ? null : existing.authorizedAt(),
                rateLimit,
                inbound,
                metadata,
                existing == null ? now : existing.createdAt(),
                now);
    }

    /**
     * The inbound settings of a request body. A Standard Webhooks connector without a secret gets a new
     * {@code whsec_} one; a secret left out on a change keeps its value.
     */
    private InboundSettings inbound(JsonNode node, @Nullable InboundSettings existing) {
        if (!node.isObject()) {
            throw ConnectorAuth.invalid("inbound", "must be an object");
        }
        for (var name : node.propertyNames()) {
            if (!INBOUND_FIELDS.contains(name)) {
                throw ConnectorAuth.invalid("inbound." + name, "is not an inbound setting");
            }
        }
        var verification = text(node, "verification", InboundSettings.STANDARD_WEBHOOKS);
        if (!InboundSettings.STANDARD_WEBHOOKS.equals(verification)
                && !InboundSettings.HMAC_SHA256.equals(verification)) {
            throw ConnectorAuth.invalid("inbound.verification", "must be standard_webhooks or hmac_sha256");
        }
        var secret = text(node, "secret", existing == null ? null : existing.secret());
        if (secret == null) {
            if (InboundSettings.HMAC_SHA256.equals(verification)) {
                throw ConnectorAuth.invalid(
                        "inbound.secret", "is required for hmac_sha256: the sender's shared secret");
            }
            var bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            secret = "whsec_" + Base64.getEncoder().encodeToString(bytes);
        }
        var signatureHeader = text(node, "signature_header", null);
        if (InboundSettings.HMAC_SHA256.equals(verification) && signatureHeader == null) {
            signatureHeader = "X-Signature";
        }
        var idPointer = text(node, "id_pointer", InboundSettings.HMAC_SHA256.equals(verification) ? "/id" : null);
        pointer(idPointer, "inbound.id_pointer");
        long tolerance = 300;
        if (node.has("tolerance_seconds")) {
            var value = node.get("tolerance_seconds");
            if (!value.isIntegralNumber() || value.asLong() < 1 || value.asLong() > 86_400) {
                throw ConnectorAuth.invalid("inbound.tolerance_seconds", "must be a whole number from 1 to 86400");
            }
            tolerance = value.asLong();
        }
        var rules = new ArrayList<InboundSettings.Rule>();
        var list = node.path("rules");
        if (!list.isMissingNode() && !list.isArray()) {
            throw ConnectorAuth.invalid("inbound.rules", "must be a list");
        }
        for (var rule : list) {
            var field = "inbound.rules[" + rules.size() + "]";
            if (!rule.isObject()) {
                throw ConnectorAuth.invalid(field, "must be an object");
            }
            for (var name : rule.propertyNames()) {
                if (!RULE_FIELDS.contains(name)) {
                    throw ConnectorAuth.invalid(field + "." + name, "is not a rule setting");
                }
            }
            var effect = text(rule, "effect", null);
            if (effect == null || !EFFECTS.contains(effect)) {
                throw ConnectorAuth.invalid(
                        field + ".effect", "must be reconcile, record_redemption, redeem_code or send_status");
            }
            var when = text(rule, "when", null);
            if (when != null) {
                expressions.predicate(when, "body");
            }
            var customer = text(rule, "customer", null);
            var code = text(rule, "code", null);
            var amount = text(rule, "amount", null);
            var reference = text(rule, "reference", null);
            pointer(customer, field + ".customer");
            pointer(code, field + ".code");
            pointer(amount, field + ".amount");
            pointer(reference, field + ".reference");
            var send = text(rule, "send", null);
            var status = text(rule, "status", null);
            pointer(send, field + ".send");
            if (status != null && status.startsWith("/")) {
                pointer(status, field + ".status");
            }
            if (InboundSettings.Rule.SEND_STATUS.equals(effect) && (send == null || status == null)) {
                throw ConnectorAuth.invalid(
                        field + ".send",
                        "and status are required to move a send: a pointer to its id, and a status or a pointer to it");
            }
            if (InboundSettings.Rule.RECORD_REDEMPTION.equals(effect) && customer == null) {
                throw ConnectorAuth.invalid(field + ".customer", "is required to record a redemption on a customer");
            }
            if (InboundSettings.Rule.REDEEM_CODE.equals(effect) && code == null) {
                throw ConnectorAuth.invalid(field + ".code", "is required to redeem a code");
            }
            rules.add(new InboundSettings.Rule(when, effect, customer, code, amount, reference, send, status));
        }
        return new InboundSettings(
                verification,
                secret,
                signatureHeader,
                text(node, "timestamp_header", null),
                idPointer,
                tolerance,
                List.copyOf(rules));
    }

    private static void pointer(@Nullable String pointer, String field) {
        if (pointer == null) {
            return;
        }
        try {
            JsonPointer.compile(pointer);
        } catch (IllegalArgumentException e) {
            throw ConnectorAuth.invalid(field, "must be a JSON pointer such as /customer/id");
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static @Nullable String text(JsonNode body, String field, @Nullable String fallback) {
        return RequestBodies.text(body, field, fallback, ConnectorAuth::invalid);
    }

    private static ApiException duplicateName(String name) {
        return ApiException.conflict("duplicate_found", "A connector named " + name + " already exists");
    }
}
