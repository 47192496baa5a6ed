package io.bestow.customers;

import io.bestow.shared.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fields a create, upsert or update sets, parsed and validated from a request body. Absent fields stay as they
 * are; a JSON {@code null} clears a field. Every problem is reported at once, per field, with nothing written.
 */
final class CustomerChanges {

    /** The customer's own fields by their API names, in the order imports and exports use. */
    static final List<String> FIELDS =
            List.of("source_id", "name", "first_name", "last_name", "email", "phone", "description", "birthdate");
    /** The parts of an address by their API names. */
    static final List<String> ADDRESS = List.of("city", "state", "line_1", "line_2", "country", "postal_code");

    static final int MAX_METADATA_BYTES = 16 * 1024;
    private static final int MAX_TEXT = 1000;
    private static final Pattern EMAIL = Pattern.compile(
            "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private final Map<String, @Nullable Object> values;

    private CustomerChanges(Map<String, @Nullable Object> values) {
        this.values = values;
    }

    static CustomerChanges none() {
        return new CustomerChanges(Map.of());
    }

    /** Parses the customer fields of a JSON object; other properties (such as {@code id}) are left to the caller. */
    static CustomerChanges parse(JsonNode body, JsonMapper json) {
        if (!body.isObject()) {
            throw ApiException.invalid("The customer must be a JSON object", null);
        }
        var parser = new Parser(json);
        parser.text(body, "source_id", "source_id", 255);
        parser.text(body, "name", "name", MAX_TEXT);
        parser.text(body, "first_name", "first_name", MAX_TEXT);
        parser.text(body, "last_name", "last_name", MAX_TEXT);
        parser.text(body, "description", "description", 10 * MAX_TEXT);
        parser.text(body, "phone", "phone", 50);
        parser.email(body);
        parser.birthdate(body, body.has("birthdate") ? "birthdate" : "birthday");
        parser.address(body.get("address"));
        parser.metadata(body.get("metadata"));
        parser.throwIfInvalid();
        return new CustomerChanges(parser.values);
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    @Nullable
    String sourceId() {
        return (String) values.get("source_id");
    }

    /** The customer with these changes applied. */
    Customer applyTo(Customer base, Instant now) {
        var a = base.address();
        var address = new Address(
                get("address.city", a.city()),
                get("address.state", a.state()),
                get("address.line_1", a.line1()),
                get("address.line_2", a.line2()),
                get("address.country", a.country()),
                get("address.postal_code", a.postalCode()));
        Map<String, Object> metadata = get("metadata", base.metadata());
        return new Customer(
                base.id(),
                get("source_id", base.sourceId()),
                get("name", base.name()),
                get("first_name", base.firstName()),
                get("last_name", base.lastName()),
                get("email", base.email()),
                get("phone", base.phone()),
                get("description", base.description()),
                get("birthdate", base.birthdate()),
                address,
                metadata == null ? Map.of() : metadata,
                base.createdAt(),
                now);
    }

    /** The value this change sets for a field (see {@link #applyTo}), or {@code null} when it leaves it alone. */
    @Nullable
    Object value(String key) {
        return values.get(key);
    }

    /** These changes followed by the other's: where both set a field, the other wins. */
    CustomerChanges then(CustomerChanges other) {
        var merged = new HashMap<String, @Nullable Object>(values);
        merged.putAll(other.values);
        return new CustomerChanges(merged);
    }

    @SuppressWarnings("unchecked")
    private <T> T get(String key, T current) {
        return values.containsKey(key) ? (T) values.get(key) : current;
    }

    /** Reads each field once, recording a value or a problem. */
    private static final class Parser {
        private final JsonMapper json;
        private final Map<String, @Nullable Object> values = new HashMap<>();
        private final Map<String, String> problems = new LinkedHashMap<>();

        Parser(JsonMapper json) {
            this.json = json;
        }

        void text(JsonNode body, String field, String key, int max) {
            read(body.get(field), field, key, node -> {
                if (!node.isString() && !node.isNumber()) {
                    throw new IllegalArgumentException("must be a string");
                }
                var text = node.asString().trim();
                if (text.length() > max) {
                    throw new IllegalArgumentException("must be at most " + max + " characters");
                }
                return text.isEmpty() ? null : text;
            });
        }

        void email(JsonNode body) {
            read(body.get("email"), "email", "email", node -> {
                if (!node.isString()) {
                    throw new IllegalArgumentException("must be a string");
                }
                var email = node.asString().trim();
                if (email.isEmpty()) {
                    return null;
                }
                if (email.length() > 320 || !EMAIL.matcher(email).matches()) {
                    throw new IllegalArgumentException("must be a valid e-mail address");
                }
                return email;
            });
        }

        void birthdate(JsonNode body, String field) {
            read(body.get(field), field, "birthdate", node -> {
                try {
                    return LocalDate.parse(node.asString().trim());
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("must be a date like 1990-12-31");
                }
            });
        }

        void address(@Nullable JsonNode address) {
            if (address == null || address.isMissingNode()) {
                return;
            }
            if (address.isNull()) {
                for (var part : ADDRESS) {
                    values.put("address." + part, null);
                }
                return;
            }
            if (!address.isObject()) {
                problems.put("address", "must be an object");
                return;
            }
            text(address, "city", "address.city", MAX_TEXT);
            text(address, "state", "address.state", MAX_TEXT);
            text(address, "line_1", "address.line_1", MAX_TEXT);
            text(address, "line_2", "address.line_2", MAX_TEXT);
            text(address, "postal_code", "address.postal_code", 50);
            read(address.get("country"), "address.country", "address.country", node -> {
                var code = node.asString().trim().toUpperCase(Locale.ROOT);
                if (code.isEmpty()) {
                    return null;
                }
                if (!COUNTRIES.contains(code)) {
                    throw new IllegalArgumentException("must be an ISO 3166-1 alpha-2 country code such as DE");
                }
                return code;
            });
        }

        void metadata(@Nullable JsonNode metadata) {
            read(metadata, "metadata", "metadata", node -> {
                if (!node.isObject()) {
                    throw new IllegalArgumentException("must be a JSON object");
                }
                var text = json.writeValueAsString(node);
                if (text.getBytes(StandardCharsets.UTF_8).length > MAX_METADATA_BYTES) {
                    throw new IllegalArgumentException("must be at most " + MAX_METADATA_BYTES + " bytes as JSON");
                }
                return json.convertValue(node, LinkedHashMap.class);
            });
        }

        private void read(
                @Nullable JsonNode node, String field, String key, Function<JsonNode, @Nullable Object> parse) {
            if (node == null || node.isMissingNode()) {
                return;
            }
            if (node.isNull()) {
                values.put(key, null);
                return;
            }
            try {
                values.put(key, parse.apply(node));
            } catch (IllegalArgumentException e) {
                problems.put(field, e.getMessage());
            }
        }

        void throwIfInvalid() {
            if (!problems.isEmpty()) {
                throw ApiException.invalid("The customer has invalid fields", problems);
            }
        }
    }
}
