package io.bestow.connectors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;

/**
 * Picks named outputs out of a JSON response: by JSON pointer ({@code /data/id}) or by a JSONPath of member names
 * and array indexes ({@code $.data.id}, {@code $.items[0]['tracking url']}).
 */
final class ResponseMapping {

    private static final Pattern STEP = Pattern.compile("\\.([A-Za-z_$][\\w$-]*)|\\[(\\d+)]|\\['([^']*)']");

    private ResponseMapping() {}

    /** The pointer a path stands for; fails with a message saying what is wrong with it. */
    static JsonPointer pointer(String path) {
        if (path.isEmpty() || path.startsWith("/")) {
            try {
                return JsonPointer.compile(path);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("is not a JSON pointer: " + e.getMessage());
            }
        }
        if (!path.startsWith("$")) {
            throw new IllegalArgumentException("must be a JSON pointer (/data/id) or a JSONPath ($.data.id)");
        }
        var pointer = new StringBuilder();
        var matcher = STEP.matcher(path);
        int at = 1;
        while (at < path.length()) {
            if (!matcher.find(at) || matcher.start() != at) {
                throw new IllegalArgumentException("is not a JSONPath of names and indexes at position " + at);
            }
            var step = matcher.group(1) != null
                    ? matcher.group(1)
                    : matcher.group(2) != null ? matcher.group(2) : matcher.group(3);
            pointer.append('/').append(step.replace("~", "~0").replace("/", "~1"));
            at = matcher.end();
        }
        return JsonPointer.compile(pointer.toString());
    }

    /**
     * Each named output's value as a plain Java value (a string, number, boolean, list or map), or null where the
     * response has nothing at its path.
     */
    static Map<String, @Nullable Object> outputs(Map<String, String> mapping, @Nullable JsonNode response) {
        var outputs = new LinkedHashMap<String, @Nullable Object>();
        mapping.forEach((name, path) -> {
            var node = response == null ? null : response.at(pointer(path));
            outputs.put(name, node == null ? null : plain(node));
        });
        return outputs;
    }

    private static @Nullable Object plain(JsonNode node) {
        if (node.isString()) {
            return node.asString();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.asLong() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isArray()) {
            var list = new ArrayList<@Nullable Object>();
            node.forEach(item -> list.add(plain(item)));
            return list;
        }
        if (node.isObject()) {
            var map = new LinkedHashMap<String, @Nullable Object>();
            node.properties().forEach(entry -> map.put(entry.getKey(), plain(entry.getValue())));
            return map;
        }
        return null;
    }
}
