package io.bestow.shared;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A page request as every list endpoint takes it: {@code limit} (1-100, default 10) with either {@code page}
 * (1-based) or the cursor {@code starting_after} (the id of the last item seen).
 */
public record Paging(int limit, int page, @Nullable String startingAfter) {

    public static final int DEFAULT_LIMIT = 10;
    public static final int MAX_LIMIT = 100;

    public static Paging of(@Nullable Integer limit, @Nullable Integer page, @Nullable String startingAfter) {
        int l = limit == null ? DEFAULT_LIMIT : limit;
        int p = page == null ? 1 : page;
        if (l < 1 || l > MAX_LIMIT) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "invalid_query_params",
                    "limit must be between 1 and " + MAX_LIMIT,
                    Map.of("limit", "must be between 1 and " + MAX_LIMIT));
        }
        if (p < 1) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "invalid_query_params",
                    "page must be 1 or more",
                    Map.of("page", "must be 1 or more"));
        }
        return new Paging(l, p, startingAfter == null || startingAfter.isBlank() ? null : startingAfter);
    }

    /**
     * Reads one page of a project's rows ordered by {@code (created_at, id)}: a query with the named parameters
     * {@code :project}, {@code :after}, {@code :limit} and {@code :offset} bound, ready for a row mapper.
     *
     * @param filter extra SQL conditions (with their own named parameters, bound by the caller), or {@code ""}
     */
    public JdbcClient.StatementSpec select(
            JdbcClient jdbc, String columns, String table, ProjectId project, String filter, boolean newestFirst) {
        var comparison = newestFirst ? "<" : ">";
        var direction = newestFirst ? " DESC" : "";
        return jdbc.sql("SELECT " + columns + " FROM " + table + " WHERE project_id = :project " + filter
                        + " AND (CAST(:after AS text) IS NULL OR (created_at, id) " + comparison
                        + " (SELECT created_at, id FROM " + table + " WHERE project_id = :project AND id = :after))"
                        + " ORDER BY created_at" + direction + ", id" + direction + " LIMIT :limit OFFSET :offset")
                .param("project", project.value())
                .param("after", startingAfter)
                .param("limit", fetchSize())
                .param("offset", offset());
    }

    /**
     * Counts a project's rows that {@link #select} pages through with the same filter: a query with {@code :project}
     * bound, ready for the filter's own parameters.
     */
    public static JdbcClient.StatementSpec count(JdbcClient jdbc, String table, ProjectId project, String filter) {
        return jdbc.sql("SELECT count(*) FROM " + table + " WHERE project_id = :project " + filter)
                .param("project", project.value());
    }

    /** Rows to skip; zero when paging by cursor. */
    public int offset() {
        return startingAfter == null ? (page - 1) * limit : 0;
    }

    /** Rows to fetch: one more than the limit, so that {@link #list} can tell whether more follow. */
    public int fetchSize() {
        return limit + 1;
    }

    /**
     * The list shape of the API: {@code {"object": "list", "data_ref": name, name: items, "total": n, "has_more": b}}.
     *
     * @param fetched up to {@link #fetchSize()} rows
     */
    public Map<String, Object> list(String name, List<?> fetched, long total) {
        boolean hasMore = fetched.size() > limit;
        var body = new LinkedHashMap<String, Object>();
        body.put("object", "list");
        body.put("data_ref", name);
        body.put(name, hasMore ? fetched.subList(0, limit) : fetched);
        body.put("total", total);
        body.put("has_more", hasMore);
        return body;
    }
}
