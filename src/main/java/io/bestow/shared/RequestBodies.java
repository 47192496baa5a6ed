package io.bestow.shared;

import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads request bodies: binds them to records, or reads single fields, answering a field of the wrong type with a 422 that names the field. */
public final class RequestBodies {

    private RequestBodies() {}

    /**
     * The body as the given record.
     *
     * @param what the resource, for messages: "campaign", "voucher"
     */
    public static <T> T read(JsonMapper json, JsonNode body, Class<T> type, String what) {
        if (!body.isObject()) {
            throw ApiException.invalid("The " + what + " must be a JSON object", null);
        }
        try {
            return json.treeToValue(body, type);
        } catch (JacksonException e) {
            var field = e.getPath().stream()
                    .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                    .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b)
                    .orElse(what);
            throw ApiException.invalid(
                    "The " + what + " has a field of the wrong type: " + field, Map.of(field, "has the wrong type"));
        }
    }

    /**
     * A string field of a body: the fallback when the field is absent, null when it is null.
     *
     * @param invalid the error for a field of the wrong type, from the field's name and what is wrong with it
     */
    public static @Nullable String text(
            JsonNode body, String field, @Nullable String fallback, BiFunction<String, String, ApiException> invalid) {
        var value = body.get(field);
        if (value == null) {
            return fallback;
        }
        if (value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw invalid.apply(field, "must be a string");
        }
        return value.asString();
    }

    /**
     * Checks that the body is an object with no fields but these.
     *
     * @param what the resource, for messages: "budget", "gift"
     */
    public static void expectFields(JsonNode body, Set<String> fields, String what) {
        if (!body.isObject()) {
            throw ApiException.invalid("The " + what + " must be a JSON object", null);
        }
        for (var name : body.propertyNames()) {
            if (!fields.contains(name)) {
                throw invalid(what, name, "is not a " + what + " field");
            }
        }
    }

    /** A string field of a resource's body: the fallback when absent, null when null. */
    public static @Nullable String text(JsonNode body, String field, @Nullable String fallback, String what) {
        return text(body, field, fallback, (name, problem) -> invalid(what, name, problem));
    }

    /**
     * A money amount (integer minor units, zero or more) of a resource's body: the fallback when absent, null when
     * null.
     */
    public static @Nullable Long amount(JsonNode body, String field, @Nullable Long fallback, String what) {
        var value = body.get(field);
        if (value == null) {
            return fallback;
        }
        if (value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            throw invalid(what, field, "must be a whole number of minor units, 0 or more (1000 is 10.00)");
        }
        return value.asLong();
    }

    /** A required ISO 4217 currency code of a resource's body, upper-cased; the fallback when absent. */
    public static String currency(JsonNode body, String field, @Nullable String fallback, String what) {
        var code = text(body, field, fallback, what);
        if (code == null) {
            throw invalid(what, field, "is required: an ISO 4217 code such as USD");
        }
        try {
            return Currency.getInstance(code.trim().toUpperCase(Locale.ROOT)).getCurrencyCode();
        } catch (IllegalArgumentException e) {
            throw invalid(what, field, "must be an ISO 4217 code such as USD");
        }
    }

    /** The 422 for one field of a resource's body: "The budget's currency must be …". */
    public static ApiException invalid(String what, String field, String problem) {
        return ApiException.invalid("The " + what + "'s " + field + " " + problem, Map.of(field, problem));
    }
}
