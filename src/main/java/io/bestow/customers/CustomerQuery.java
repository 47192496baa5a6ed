package io.bestow.customers;

import io.bestow.shared.ApiException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/** Filters and order of a customer list or export, as the query string gives them. */
record CustomerQuery(
        @Nullable String email,
        @Nullable String city,
        @Nullable String name,
        @Nullable Instant createdAfter,
        @Nullable Instant createdBefore,
        @Nullable Instant updatedAfter,
        @Nullable Instant updatedBefore,
        Map<String, String> metadata,
        @Nullable String segmentId,
        Order order) {

    static final CustomerQuery ALL =
            new CustomerQuery(null, null, null, null, null, null, null, Map.of(), null, Order.CREATED_AT);

    /** The same query restricted to the members of a segment. */
    CustomerQuery inSegment(String segment) {
        return new CustomerQuery(
                email, city, name, createdAfter, createdBefore, updatedAfter, updatedBefore, metadata, segment, order);
    }

    /**
     * Sort orders: a column, ascending, or descending with a leading minus as in {@code -created_at}. Lists default
     * to newest first, as Voucherify's do (its SDK's scrolling relies on it).
     */
    enum Order {
        CREATED_AT("created_at", false),
        CREATED_AT_DESC("created_at", true),
        UPDATED_AT("updated_at", false),
        UPDATED_AT_DESC("updated_at", true),
        SOURCE_ID("source_id", false),
        SOURCE_ID_DESC("source_id", true),
        NAME("name", false),
        NAME_DESC("name", true),
        EMAIL("email", false),
        EMAIL_DESC("email", true);

        final String column;
        final boolean descending;

        Order(String column, boolean descending) {
            this.column = column;
            this.descending = descending;
        }

        static Order of(@Nullable String value) {
            if (value == null || value.isBlank()) {
                return CREATED_AT_DESC;
            }
            var trimmed = value.trim();
            boolean descending = trimmed.startsWith("-");
            var column = descending ? trimmed.substring(1) : trimmed;
            for (var order : values()) {
                if (order.column.equals(column) && order.descending == descending) {
                    return order;
                }
            }
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "invalid_query_params",
                    "order must be one of created_at, updated_at, source_id, name, email, each optionally with a leading -",
                    Map.of("order", "unknown order " + value));
        }
    }

    /** Reads {@code email}, {@code city}, {@code name}, {@code created_at[after]} and the like, {@code metadata[key]}, {@code segment_id} and {@code order}. */
    static CustomerQuery from(Map<String, String> params) {
        var metadata = new LinkedHashMap<String, String>();
        params.forEach((key, value) -> {
            if (key.startsWith("metadata[") && key.endsWith("]") && key.length() > 10) {
                metadata.put(key.substring(9, key.length() - 1), value);
            }
        });
        return new CustomerQuery(
                blankToNull(params.get("email")),
                blankToNull(params.get("city")),
                blankToNull(params.get("name")),
                instant(params, "created_at[after]"),
                instant(params, "created_at[before]"),
                instant(params, "updated_at[after]"),
                instant(params, "updated_at[before]"),
                metadata,
                blankToNull(params.get("segment_id")),
                Order.of(params.get("order")));
    }

    private static @Nullable Instant instant(Map<String, String> params, String name) {
        var value = blankToNull(params.get(name));
        if (value == null) {
            return null;
        }
        try {
            return value.length() == 10 ? Instant.parse(value + "T00:00:00Z") : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "invalid_query_params",
                    name + " must be an ISO-8601 date or timestamp",
                    Map.of(name, "must be an ISO-8601 date or timestamp such as 2026-01-31T00:00:00Z"));
        }
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
