package io.bestow.connectors;

import io.bestow.shared.ApiException;
import io.bestow.shared.EventMeta;
import io.bestow.shared.Hashes;
import io.bestow.shared.OutboundHttp;
import io.bestow.shared.OutboundRefused;
import io.bestow.shared.ProjectId;
import io.bestow.shared.PublicUrl;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Obtains, stores and refreshes OAuth 2.0 access tokens: client credentials on first use, the authorization-code
 * flow with state and PKCE (S256) through {@code /oauth/callback}, and refresh tokens shortly before expiry or after a
 * 401. A token is obtained or refreshed under the connector's row lock, so that nodes and threads never race to
 * spend one refresh token twice.
 */
@Component
class OAuthTokens {

    /** A token with less than this left is refreshed before use. */
    static final Duration EARLY = Duration.ofSeconds(30);

    private static final Duration FLOW_TTL = Duration.ofMinutes(10);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Connectors connectors;
    private final Authorizations authorizations;
    private final OutboundHttp http;
    private final PublicUrl publicUrl;
    private final TransactionTemplate transaction;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Clock clock;

    OAuthTokens(
            Connectors connectors,
            Authorizations authorizations,
            OutboundHttp http,
            PublicUrl publicUrl,
            TransactionTemplate transaction,
            ApplicationEventPublisher events,
            JsonMapper json,
            Clock clock) {
        this.connectors = connectors;
        this.authorizations = authorizations;
        this.http = http;
        this.publicUrl = publicUrl;
        this.transaction = transaction;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    /** Starts an authorization-code flow: the provider's URL to send the admin to, with a fresh state and PKCE. */
    URI authorizationUrl(ProjectId project, Connector connector) {
        var auth = connector.authentication();
        if (!auth.type().equals(ConnectorAuth.AUTHORIZATION_CODE)) {
            throw new ApiException(
                    HttpStatus.CONFLICT,
                    "not_authorization_code",
                    "Only a connector with oauth2_authorization_code auth is authorized in the browser");
        }
        var state = random(32);
        var verifier = random(48);
        var redirectUri = publicUrl.of("/oauth/callback");
        var now = clock.instant();
        authorizations.deleteExpired(now);
        authorizations.insert(
                Hashes.sha256Hex(state),
                new Authorizations.Pending(project, connector.id(), verifier, redirectUri, now.plus(FLOW_TTL)));
        var query = new LinkedHashMap<String, String>();
        query.put("response_type", "code");
        query.put("client_id", auth.settings().get("client_id"));
        query.put("redirect_uri", redirectUri);
        if (auth.settings().containsKey("scope")) {
            query.put("scope", auth.settings().get("scope"));
        }
        query.put("state", state);
        query.put("code_challenge", base64Url(Hashes.sha256(verifier.getBytes(StandardCharsets.US_ASCII))));
        query.put("code_challenge_method", "S256");
        var base = auth.settings().get("authorization_url");
        return URI.create(base + (base.contains("?") ? "&" : "?") + form(query));
    }

    /** Finishes a flow: exchanges the code for tokens and stores them; the connector as it is now. */
    Connector complete(String state, String code) {
        var pending = authorizations
                .take(Hashes.sha256Hex(state), clock.instant())
                .orElseThrow(() -> new TokenRequestFailed(
                        "This authorization link is unknown, used or expired: start again from the connector"));
        var connector = connectors
                .find(pending.project(), pending.connectorId())
                .orElseThrow(() -> new TokenRequestFailed("The connector was deleted"));
        var grant = new LinkedHashMap<String, String>();
        grant.put("grant_type", "authorization_code");
        grant.put("code", code);
        grant.put("redirect_uri", pending.redirectUri());
        grant.put("code_verifier", pending.codeVerifier());
        var token = request(connector, grant);
        var now = clock.instant();
        var authorized = connector.withTokens(token.access(), token.refresh(), token.expiresAt(now), now);
        transaction.executeWithoutResult(status -> {
            connectors.saveTokens(pending.project(), authorized);
            events.publishEvent(new ConnectorAuthorized(EventMeta.of(pending.project(), clock), authorized));
        });
        return authorized;
    }

    /**
     * A valid access token for a call through the connector, obtained or refreshed first when there is none or it
     * expires soon.
     *
     * @param rejected the token the provider has just answered 401 to, which is then refreshed once; or null
     */
    String accessToken(ProjectId project, Connector connector, @Nullable String rejected) {
        if (rejected == null && usable(connector)) {
            return Objects.requireNonNull(connector.accessToken());
        }
        var outcome = Objects.requireNonNull(transaction.<Object>execute(status -> {
            var locked = connectors
                    .lock(project, connector.id())
                    .orElseThrow(() -> ApiException.notFound("connector", connector.id()));
            boolean refreshedMeanwhile = rejected != null && !rejected.equals(locked.accessToken());
            if ((rejected == null || refreshedMeanwhile) && usable(locked)) {
                return locked.accessToken();
            }
            var grant = new LinkedHashMap<String, String>();
            if (locked.authentication().type().equals(ConnectorAuth.CLIENT_CREDENTIALS)) {
                grant.put("grant_type", "client_credentials");
                var settings = locked.authentication().settings();
                if (settings.containsKey("scope")) {
                    grant.put("scope", settings.get("scope"));
                }
                if (settings.containsKey("audience")) {
                    grant.put("audience", settings.get("audience"));
                }
            } else if (locked.refreshToken() != null) {
                grant.put("grant_type", "refresh_token");
                grant.put("refresh_token", locked.refreshToken());
            } else {
                return new TokenRequestFailed(
                        locked.accessToken() == null
                                ? "The connector is not authorized yet: authorize it first"
                                : "The connector's token has expired and cannot be refreshed: authorize it again");
            }
            try {
                var token = request(locked, grant);
                var now = clock.instant();
                var refresh = token.refresh() != null ? token.refresh() : locked.refreshToken();
                var authorizedAt = locked.authentication().type().equals(ConnectorAuth.CLIENT_CREDENTIALS)
                        ? now
                        : locked.authorizedAt();
                connectors.saveTokens(
                        project, locked.withTokens(token.access(), refresh, token.expiresAt(now), authorizedAt));
                return token.access();
            } catch (TokenRequestFailed e) {
                if (grant.get("grant_type").equals("refresh_token")) {
                    // A refused refresh token is spent: the connector needs authorizing again, and says so.
                    connectors.saveTokens(project, locked.withTokens(null, null, null, locked.authorizedAt()));
                }
                return e;
            }
        }));
        if (outcome instanceof TokenRequestFailed failed) {
            throw failed;
        }
        return (String) outcome;
    }

    private boolean usable(Connector connector) {
        return connector.accessToken() != null
                && (connector.tokenExpiresAt() == null
                        || connector.tokenExpiresAt().isAfter(clock.instant().plus(EARLY)));
    }

    /** A token endpoint's answer. */
    private record Token(
            String access,
            @Nullable String refresh,
            @Nullable Long expiresIn) {
        @Nullable
        Instant expiresAt(Instant now) {
            return expiresIn == null ? null : now.plusSeconds(expiresIn);
        }
    }

    private Token request(Connector connector, Map<String, String> grant) {
        var auth = connector.authentication();
        var form = new LinkedHashMap<>(grant);
        var clientId = auth.settings().get("client_id");
        var secret = auth.secrets().get("client_secret");
        var request = HttpRequest.newBuilder(URI.create(auth.settings().get("token_url")))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json");
        if (secret != null
                && auth.settings()
                        .getOrDefault("client_authentication", "basic")
                        .equals("basic")) {
            var credentials = encode(clientId) + ":" + encode(secret);
            request.header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        } else {
            form.put("client_id", clientId);
            if (secret != null) {
                form.put("client_secret", secret);
            }
        }
        try {
            var response = http.send(request.POST(HttpRequest.BodyPublishers.ofString(form(form)))
                    .build());
            var body = new String(response.body(), StandardCharsets.UTF_8);
            JsonNode answer;
            try {
                answer = json.readTree(body);
            } catch (JacksonException e) {
                throw new TokenRequestFailed(
                        "The token endpoint answered " + response.statusCode() + " with a body that is not JSON");
            }
            if (response.statusCode() / 100 != 2 || !answer.path("access_token").isString()) {
                var error = answer.path("error").asString("no access_token");
                var description = answer.path("error_description").asString("");
                throw new TokenRequestFailed("The token endpoint answered " + response.statusCode() + ": " + error
                        + (description.isBlank() ? "" : " (" + description + ")"));
            }
            var expiresIn = answer.path("expires_in");
            return new Token(
                    answer.path("access_token").asString(),
                    answer.path("refresh_token").isString()
                            ? answer.path("refresh_token").asString()
                            : null,
                    expiresIn.isNumber()
                            ? Long.valueOf(expiresIn.asLong())
                            : expiresIn.isString() ? Long.valueOf(expiresIn.asString()) : null);
        } catch (OutboundRefused e) {
            throw new TokenRequestFailed(e.getMessage());
        } catch (IOException e) {
            throw new TokenRequestFailed("The token endpoint cannot be reached: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenRequestFailed("Interrupted while calling the token endpoint");
        } catch (NumberFormatException e) {
            throw new TokenRequestFailed("The token endpoint's expires_in is not a number");
        }
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String random(int bytes) {
        var value = new byte[bytes];
        RANDOM.nextBytes(value);
        return base64Url(value);
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
