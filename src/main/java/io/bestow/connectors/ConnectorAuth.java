package io.bestow.connectors;

import io.bestow.shared.ApiException;
import io.bestow.shared.Secrets;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * How a connector authenticates: its type, the settings the API shows, and the secrets it never shows (an API key's
 * value, a password, a bearer token, a client secret).
 */
record ConnectorAuth(String type, Map<String, String> settings, Map<String, String> secrets) {

    static final String NONE = "none";
    static final String API_KEY = "api_key";
    static final String BASIC = "basic";
    static final String BEARER = "bearer";
    static final String CLIENT_CREDENTIALS = "oauth2_client_credentials";
    static final String AUTHORIZATION_CODE = "oauth2_authorization_code";

    /** Per type: the settings it takes, the required ones first (marked in {@link #REQUIRED}), and its secrets. */
    private static final Map<String, List<String>> SETTINGS = Map.of(
            NONE, List.of(),
            API_KEY, List.of("name", "in", "prefix"),
            BASIC, List.of("username"),
            BEARER, List.of(),
            CLIENT_CREDENTIALS, List.of("token_url", "client_id", "scope", "audience", "client_authentication"),
            AUTHORIZATION_CODE,
                    List.of("authorization_url", "token_url", "client_id", "scope", "client_authentication"));

    private static final Map<String, List<String>> SECRETS = Map.of(
            NONE, List.of(),
            API_KEY, List.of("value"),
            BASIC, List.of("password"),
            BEARER, List.of("token"),
            CLIENT_CREDENTIALS, List.of("client_secret"),
            AUTHORIZATION_CODE, List.of("client_secret"));

    private static final Set<String> REQUIRED = Set.of(
            "API_KEY.value",
            "BASIC.username",
            "BASIC.password",
            "BEARER.token",
            "OAUTH2_CLIENT_CREDENTIALS.token_url",
            "OAUTH2_CLIENT_CREDENTIALS.client_id",
            "OAUTH2_CLIENT_CREDENTIALS.client_secret",
            "OAUTH2_AUTHORIZATION_CODE.authorization_url",
            "OAUTH2_AUTHORIZATION_CODE.token_url",
            "OAUTH2_AUTHORIZATION_CODE.client_id");

    static ConnectorAuth none() {
        return new ConnectorAuth(NONE, Map.of(), Map.of());
    }

    /**
     * The auth of a request body. Secrets left out keep their earlier values when the type stays the same, so that a
     * client can change a setting without sending the secrets again.
     */
    static ConnectorAuth parse(@Nullable JsonNode auth, @Nullable ConnectorAuth previous, boolean requireSecrets) {
        if (auth == null || auth.isNull() || auth.isMissingNode()) {
            return previous != null ? previous : none();
        }
        if (!auth.isObject()) {
            throw invalid("auth", "must be an object with a type");
        }
        var type = auth.path("type").isString() ? auth.path("type").asString() : NONE;
        if (!SETTINGS.containsKey(type)) {
            throw invalid(
                    "auth.type",
                    "must be one of none, api_key, basic, bearer, oauth2_client_credentials,"
                            + " oauth2_authorization_code");
        }
        var known = new HashSet<String>(SETTINGS.get(type));
        known.addAll(SECRETS.get(type));
        known.add("type");
        for (var name : auth.propertyNames()) {
            if (!known.contains(name)) {
                throw invalid("auth." + name, "is not a setting of " + type + " auth");
            }
        }
        var settings = new LinkedHashMap<String, String>();
        for (var name : SETTINGS.get(type)) {
            text(auth, name).ifPresent(value -> settings.put(name, value));
        }
        var secrets = new LinkedHashMap<String, String>();
        boolean sameType = previous != null && previous.type().equals(type);
        for (var name : SECRETS.get(type)) {
            var value = text(auth, name);
            if (value.isPresent()) {
                secrets.put(name, value.get());
            } else if (sameType && previous.secrets().containsKey(name)) {
                secrets.put(name, previous.secrets().get(name));
            }
        }
        for (var name : REQUIRED) {
            var dot = name.indexOf('.');
            if (!name.substring(0, dot).equalsIgnoreCase(type)) {
                continue;
            }
            var field = name.substring(dot + 1);
            boolean secret = SECRETS.get(type).contains(field);
            if (!settings.containsKey(field) && !secrets.containsKey(field) && (requireSecrets || !secret)) {
                throw invalid("auth." + field, "is required for " + type + " auth");
            }
        }
        var in = settings.getOrDefault("in", "header");
        if (type.equals(API_KEY) && !in.equals("header") && !in.equals("query")) {
            throw invalid("auth.in", "must be header or query");
        }
        var clientAuthentication = settings.getOrDefault("client_authentication", "basic");
        if (!clientAuthentication.equals("basic") && !clientAuthentication.equals("body")) {
            throw invalid("auth.client_authentication", "must be basic or body");
        }
        for (var url : List.of("token_url", "authorization_url")) {
            if (settings.containsKey(url)) {
                absoluteUrl(settings.get(url), "auth." + url);
            }
        }
        return new ConnectorAuth(type, Map.copyOf(settings), Map.copyOf(secrets));
    }

    /** The secrets this auth needs but has not been given (a connector imported from a definition, say). */
    List<String> missingSecrets() {
        return SECRETS.get(type).stream()
                .filter(name -> REQUIRED.contains(type.toUpperCase(java.util.Locale.ROOT) + "." + name))
                .filter(name -> !secrets.containsKey(name))
                .toList();
    }

    boolean oauth() {
        return type.equals(CLIENT_CREDENTIALS) || type.equals(AUTHORIZATION_CODE);
    }

    /** What the API shows: the settings, and each secret as {@code ••••} plus its last four characters. */
    Map<String, Object> view() {
        var view = new LinkedHashMap<String, Object>();
        view.put("type", type);
        view.putAll(settings);
        secrets.forEach((name, value) -> view.put(name, Secrets.mask(value)));
        return view;
    }

    /** The same auth without its secrets, as exported definitions carry it. */
    Map<String, Object> withoutSecrets() {
        var view = new LinkedHashMap<String, Object>();
        view.put("type", type);
        view.putAll(settings);
        return view;
    }

    /** Whether changing from this auth to the other invalidates the tokens it obtained. */
    boolean sameGrantAs(ConnectorAuth other) {
        return type.equals(other.type()) && settings.equals(other.settings()) && secrets.equals(other.secrets());
    }

    /** Adds the static credentials (API key, basic, bearer) to a request's headers and query. */
    void apply(Map<String, String> headers, Map<String, String> query) {
        switch (type) {
            case API_KEY -> {
                var name = settings.getOrDefault("name", "X-Api-Key");
                var value = settings.getOrDefault("prefix", "") + secrets.get("value");
                if (settings.getOrDefault("in", "header").equals("query")) {
                    query.put(name, value);
                } else {
                    headers.put(name, value);
                }
            }
            case BASIC ->
                headers.put(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString((settings.get("username") + ":" + secrets.get("password"))
                                                .getBytes(StandardCharsets.UTF_8)));
            case BEARER -> headers.put("Authorization", "Bearer " + secrets.get("token"));
            default -> {}
        }
    }

    static URI absoluteUrl(String value, String field) {
        try {
            var uri = URI.create(value.trim());
            if (!uri.isAbsolute()
                    || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw invalid(field, "must be an absolute http or https URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw invalid(field, "must be an absolute http or https URL");
        }
    }

    private static Optional<String> text(JsonNode node, String name) {
        var value = node.path(name);
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isString() || value.asString().isBlank()) {
            throw invalid("auth." + name, "must be a non-empty string");
        }
        return Optional.of(value.asString().trim());
    }

    static ApiException invalid(String field, String problem) {
        return ApiException.invalid("The connector's " + field + " " + problem, Map.of(field, problem));
    }
}
