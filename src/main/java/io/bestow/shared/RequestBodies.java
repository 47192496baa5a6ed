package io.bestow.shared;

import java.util.Map;
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
}
