package io.bestow.connectors;

import io.bestow.shared.ApiException;
import io.bestow.shared.EventMeta;
import io.bestow.shared.Ids;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Connectors: the connectors module's API for its controllers and the other modules. */
@Service
public class ConnectorManagement {

    private static final Set<String> FIELDS = Set.of(
            "name", "description", "base_url", "content_type", "auth", "rate_limit_per_second", "metadata", "object");

    private final Connectors connectors;
    private final OAuthTokens tokens;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Clock clock;

    ConnectorManagement(
            Connectors connectors, OAuthTokens tokens, ApplicationEventPublisher events, JsonMapper json, Clock clock) {
        this.connectors = connectors;
        this.tokens = tokens;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    /** A connector by its id or its name. */
    public Connector connector(ProjectId project, String idOrName) {
        return connectors.find(project, idOrName).orElseThrow(() -> ApiException.notFound("connector", idOrName));
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
                metadata,
                existing == null ? now : existing.createdAt(),
                now);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static @Nullable String text(JsonNode body, String field, @Nullable String fallback) {
        var value = body.get(field);
        if (value == null) {
            return fallback;
        }
        if (value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw ConnectorAuth.invalid(field, "must be a string");
        }
        return value.asString();
    }

    private static ApiException duplicateName(String name) {
        return ApiException.conflict("duplicate_found", "A connector named " + name + " already exists");
    }
}
