package io.bestow.connectors;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A connection to an external API: its base URL, content type and auth. The API shows the auth's settings with every
 * secret masked, and a status instead of the tokens.
 */
public record Connector(
        String id,
        String name,
        @Nullable String description,
        String baseUrl,
        String contentType,
        @JsonIgnore ConnectorAuth authentication,
        @JsonIgnore @Nullable String accessToken,
        @JsonIgnore @Nullable String refreshToken,
        @JsonIgnore @Nullable Instant tokenExpiresAt,
        @JsonIgnore @Nullable Instant authorizedAt,
        @Nullable Integer rateLimitPerSecond,
        @Nullable InboundSettings inbound,
        Map<String, Object> metadata,
        Instant createdAt,
        Instant updatedAt) {

    static final String JSON = "json";
    static final String FORM = "form";

    @JsonProperty("object")
    public String object() {
        return "connector";
    }

    @JsonProperty("auth")
    public Map<String, Object> auth() {
        return authentication.view();
    }

    /**
     * Whether calls can authenticate: always for static credentials; for OAuth 2.0 once a token was obtained (client
     * credentials fetch one on first use; authorization code needs the Authorize step).
     */
    @JsonProperty("status")
    public Map<String, Object> status() {
        var status = new LinkedHashMap<String, Object>();
        var missing = authentication.missingSecrets();
        boolean authorized = missing.isEmpty()
                && (!authentication.type().equals(ConnectorAuth.AUTHORIZATION_CODE) || accessToken != null);
        status.put("authorized", authorized);
        if (!missing.isEmpty()) {
            status.put("missing_secrets", missing);
        }
        if (authorizedAt != null) {
            status.put("authorized_at", authorizedAt);
        }
        if (tokenExpiresAt != null) {
            status.put("token_expires_at", tokenExpiresAt);
        }
        if (authentication.oauth()) {
            status.put("refreshable", refreshToken != null);
        }
        return status;
    }

    /** Every secret this connector holds, to be masked wherever a request or response is shown or logged. */
    List<String> secretValues() {
        var values = new ArrayList<>(authentication.secrets().values());
        if (accessToken != null) {
            values.add(accessToken);
        }
        if (refreshToken != null) {
            values.add(refreshToken);
        }
        return values;
    }

    Connector withTokens(
            @Nullable String access, @Nullable String refresh, @Nullable Instant expiresAt, @Nullable Instant at) {
        return new Connector(
                id,
                name,
                description,
                baseUrl,
                contentType,
                authentication,
                access,
                refresh,
                expiresAt,
                at,
                rateLimitPerSecond,
                inbound,
                metadata,
                createdAt,
                updatedAt);
    }
}
