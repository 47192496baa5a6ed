package io.bestow.shared;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Equality filters of a list query, by column: each given value adds {@code AND column = :column}; a null value adds
 * nothing. For {@link Paging#select} and {@link Paging#count}.
 */
public final class SqlFilters {

    private final Map<String, Object> values = new LinkedHashMap<>();

    /** Adds {@code column = value} unless the value is null. The column name must be a plain identifier. */
    public SqlFilters where(String column, @Nullable Object value) {
        if (value != null) {
            values.put(column, value);
        }
        return this;
    }

    /** The conditions, each starting with {@code AND}; empty when there are none. */
    public String sql() {
        var sql = new StringBuilder();
        values.keySet()
                .forEach(column ->
                        sql.append(" AND ").append(column).append(" = :").append(column));
        return sql.toString();
    }

    /** Binds the values of the conditions to a statement made with {@link #sql()}. */
    public JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement) {
        var bound = statement;
        for (var entry : values.entrySet()) {
            bound = bound.param(entry.getKey(), entry.getValue());
        }
        return bound;
    }
}
