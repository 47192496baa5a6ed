package io.bestow.customers;

import io.bestow.shared.Ids;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** The customers table. */
@Repository
class Customers {

    static final String COLUMNS = "id, source_id, name, first_name, last_name, email, phone, description, birthdate,"
            + " address_city, address_state, address_line_1, address_line_2, address_country, address_postal_code,"
            + " metadata::text AS metadata, created_at, updated_at";

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate named;
    private final JsonMapper json;

    Customers(JdbcClient jdbc, NamedParameterJdbcTemplate named, JsonMapper json) {
        this.jdbc = jdbc;
        this.named = named;
        this.json = json;
    }

    /** Finds a customer by its id, or else by its source id. */
    Optional<Customer> find(ProjectId project, String idOrSourceId) {
        return jdbc.sql("SELECT " + COLUMNS
                        + " FROM customers.customers WHERE project_id = ? AND (id = ? OR source_id = ?)"
                        + " ORDER BY (id = ?) DESC LIMIT 1")
                .params(project.value(), idOrSourceId, idOrSourceId, idOrSourceId)
                .query(this::map)
                .optional();
    }

    /** The customers with these ids, by id; ids of no customer are left out. */
    Map<String, Customer> byIds(ProjectId project, List<String> ids) {
        var found = new LinkedHashMap<String, Customer>();
        jdbc.sql("SELECT " + COLUMNS + " FROM customers.customers WHERE project_id = ? AND id = ANY(?)")
                .params(project.value(), ids.toArray(String[]::new))
                .query(this::map)
                .list()
                .forEach(customer -> found.put(customer.id(), customer));
        return found;
    }

    /**
     * For each of these references, the customer with that id, else the one with that source id, by reference;
     * references of no customer are left out. One statement for all.
     */
    Map<String, Customer> byReferences(ProjectId project, List<String> references) {
        var found = new LinkedHashMap<String, Customer>();
        var refs = references.toArray(String[]::new);
        jdbc.sql("SELECT ref, by_id, " + COLUMNS + " FROM ("
                        + " SELECT r.ref, true AS by_id, c.* FROM unnest(?::text[]) AS r(ref)"
                        + " JOIN customers.customers c ON c.project_id = ? AND c.id = r.ref"
                        + " UNION ALL"
                        + " SELECT r.ref, false, c.* FROM unnest(?::text[]) AS r(ref)"
                        + " JOIN customers.customers c ON c.project_id = ? AND c.source_id = r.ref) AS c"
                        + " ORDER BY by_id")
                .params(refs, project.value(), refs, project.value())
                .query((rs, row) -> Map.entry(rs.getString("ref"), map(rs, row)))
                .list()
                .forEach(entry -> found.put(entry.getKey(), entry.getValue()));
        return found;
    }

    /** For each of these e-mail addresses, the oldest customer with it (compared without case), by address as given. */
    Map<String, Customer> byEmails(ProjectId project, List<String> emails) {
        var found = new LinkedHashMap<String, Customer>();
        jdbc.sql("SELECT wanted, " + COLUMNS + " FROM ("
                        + " SELECT DISTINCT ON (r.email) r.email AS wanted, c.* FROM unnest(?::text[]) AS r(email)"
                        + " JOIN customers.customers c ON c.project_id = ? AND lower(c.email) = lower(trim(r.email))"
                        + " ORDER BY r.email, c.created_at, c.id) AS c")
                .params(emails.toArray(String[]::new), project.value())
                .query((rs, row) -> Map.entry(rs.getString("wanted"), map(rs, row)))
                .list()
                .forEach(entry -> found.put(entry.getKey(), entry.getValue()));
        return found;
    }

    /** The oldest customer with this e-mail address, compared without case. */
    Optional<Customer> findByEmail(ProjectId project, String email) {
        return jdbc.sql("SELECT " + COLUMNS
                        + " FROM customers.customers WHERE project_id = ? AND lower(email) = lower(?)"
                        + " ORDER BY created_at, id LIMIT 1")
                .params(project.value(), email.trim())
                .query(this::map)
                .optional();
    }

    Optional<Customer> lockById(ProjectId project, String id) {
        return jdbc.sql("SELECT " + COLUMNS
                        + " FROM customers.customers WHERE project_id = ? AND id = ? FOR NO KEY UPDATE")
                .params(project.value(), id)
                .query(this::map)
                .optional();
    }

    Optional<Customer> lockBySourceId(ProjectId project, String sourceId) {
        return jdbc.sql("SELECT " + COLUMNS
                        + " FROM customers.customers WHERE project_id = ? AND source_id = ? FOR NO KEY UPDATE")
                .params(project.value(), sourceId)
                .query(this::map)
                .optional();
    }

    /**
     * Inserts the customer unless one with its source id exists; a concurrent insert of the same source id makes
     * this wait for it and then do nothing.
     */
    boolean insertIfAbsent(ProjectId project, Customer customer) {
        return named.update(
                        "INSERT INTO customers.customers (project_id, " + WRITABLE + ") VALUES (:project_id, " + VALUES
                                + ") ON CONFLICT (project_id, source_id) DO NOTHING",
                        params(project, customer))
                == 1;
    }

    /**
     * Upserts a batch by source id in one statement: a new source id inserts, a known one takes the non-empty
     * fields and merges metadata. Returns only the customers it created or changed, each with whether it was new.
     * Source ids must be distinct within the batch.
     */
    List<Imported> upsertBatch(ProjectId project, List<CustomerChanges> rows, Instant now) {
        var columns = new String[BATCH_KEYS.length + 1][rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            var row = rows.get(i);
            columns[0][i] = Ids.generate("cust");
            for (int k = 0; k < BATCH_KEYS.length; k++) {
                var value = row.value(BATCH_KEYS[k]);
                columns[k + 1][i] = value == null
                        ? null
                        : value instanceof Map<?, ?> map ? json.writeValueAsString(map) : value.toString();
            }
        }
        var timestamp = Timestamp.from(now);
        return named.getJdbcTemplate()
                .query(
                        con -> {
                            var statement = con.prepareStatement(UPSERT_BATCH);
                            statement.setString(1, project.value());
                            statement.setTimestamp(2, timestamp);
                            statement.setTimestamp(3, timestamp);
                            for (int k = 0; k < columns.length; k++) {
                                statement.setArray(4 + k, con.createArrayOf("text", columns[k]));
                            }
                            return statement;
                        },
                        (rs, n) -> new Imported(map(rs, n), rs.getBoolean("inserted")));
    }

    /** A customer a batch upsert created ({@code inserted}) or changed. */
    record Imported(Customer customer, boolean inserted) {}

    /** The values a batch upsert takes, in the order of its unnest columns after the id. */
    private static final String[] BATCH_KEYS = Stream.of(
                    CustomerChanges.FIELDS.stream(),
                    CustomerChanges.ADDRESS.stream().map(part -> "address." + part),
                    Stream.of("metadata"))
            .flatMap(keys -> keys)
            .toArray(String[]::new);

    private static final String UPSERT_BATCH = """
            INSERT INTO customers.customers AS c (project_id, id, source_id, name, first_name, last_name, email, phone,
                description, birthdate, address_city, address_state, address_line_1, address_line_2, address_country,
                address_postal_code, metadata, created_at, updated_at)
            SELECT ?, t.id, t.source_id, t.name, t.first_name, t.last_name, t.email, t.phone, t.description,
                CAST(t.birthdate AS date), t.city, t.state, t.line_1, t.line_2, t.country, t.postal_code,
                coalesce(CAST(t.metadata AS jsonb), '{}'), ?, ?
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                        ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                AS t(id, source_id, name, first_name, last_name, email, phone, description, birthdate,
                     city, state, line_1, line_2, country, postal_code, metadata)
            ON CONFLICT (project_id, source_id) DO UPDATE SET
                name = coalesce(excluded.name, c.name), first_name = coalesce(excluded.first_name, c.first_name),
                last_name = coalesce(excluded.last_name, c.last_name), email = coalesce(excluded.email, c.email),
                phone = coalesce(excluded.phone, c.phone), description = coalesce(excluded.description, c.description),
                birthdate = coalesce(excluded.birthdate, c.birthdate),
                address_city = coalesce(excluded.address_city, c.address_city),
                address_state = coalesce(excluded.address_state, c.address_state),
                address_line_1 = coalesce(excluded.address_line_1, c.address_line_1),
                address_line_2 = coalesce(excluded.address_line_2, c.address_line_2),
                address_country = coalesce(excluded.address_country, c.address_country),
                address_postal_code = coalesce(excluded.address_postal_code, c.address_postal_code),
                metadata = c.metadata || excluded.metadata, updated_at = excluded.updated_at
            WHERE (c.name, c.first_name, c.last_name, c.email, c.phone, c.description, c.birthdate, c.address_city,
                   c.address_state, c.address_line_1, c.address_line_2, c.address_country, c.address_postal_code,
                   c.metadata)
                IS DISTINCT FROM
                  (coalesce(excluded.name, c.name), coalesce(excluded.first_name, c.first_name),
                   coalesce(excluded.last_name, c.last_name), coalesce(excluded.email, c.email),
                   coalesce(excluded.phone, c.phone), coalesce(excluded.description, c.description),
                   coalesce(excluded.birthdate, c.birthdate), coalesce(excluded.address_city, c.address_city),
                   coalesce(excluded.address_state, c.address_state), coalesce(excluded.address_line_1, c.address_line_1),
                   coalesce(excluded.address_line_2, c.address_line_2),
                   coalesce(excluded.address_country, c.address_country),
                   coalesce(excluded.address_postal_code, c.address_postal_code), c.metadata || excluded.metadata)
            RETURNING c.id, c.source_id, c.name, c.first_name, c.last_name, c.email, c.phone, c.description,
                c.birthdate, c.address_city, c.address_state, c.address_line_1, c.address_line_2, c.address_country,
                c.address_postal_code, c.metadata::text AS metadata, c.created_at, c.updated_at, (xmax = 0) AS inserted
            """;

    void update(ProjectId project, Customer customer) {
        named.update("""
                UPDATE customers.customers SET source_id = :source_id, name = :name, first_name = :first_name,
                    last_name = :last_name, email = :email, phone = :phone, description = :description,
                    birthdate = :birthdate, address_city = :address_city, address_state = :address_state,
                    address_line_1 = :address_line_1, address_line_2 = :address_line_2,
                    address_country = :address_country, address_postal_code = :address_postal_code,
                    metadata = CAST(:metadata AS jsonb), updated_at = :updated_at
                WHERE project_id = :project_id AND id = :id
                """, params(project, customer));
    }

    boolean delete(ProjectId project, String id) {
        return jdbc.sql("DELETE FROM customers.customers WHERE project_id = ? AND id = ?")
                        .params(project.value(), id)
                        .update()
                == 1;
    }

    List<Customer> list(ProjectId project, CustomerQuery query, Paging paging) {
        var sql = new StringBuilder("SELECT " + COLUMNS + " FROM customers.customers c WHERE ");
        var params = where(project, query, sql);
        var order = query.order();
        var column = order.column.equals("created_at") || order.column.equals("updated_at")
                ? order.column
                : "coalesce(" + order.column + ", '')";
        if (paging.startingAfter() != null) {
            var cursor = paging.startingAfter();
            var comparison = order.descending ? " < " : " > ";
            if (isTimestamp(cursor) && (order.column.equals("created_at") || order.column.equals("updated_at"))) {
                sql.append(" AND ").append(column).append(comparison).append(":cursor_time");
                params.addValue("cursor_time", Timestamp.from(Instant.parse(cursor)));
            } else {
                sql.append(" AND (")
                        .append(column)
                        .append(", id)")
                        .append(comparison)
                        .append("(SELECT ")
                        .append(column)
                        .append(", id FROM customers.customers WHERE project_id = :project AND id = :cursor)");
                params.addValue("cursor", cursor);
            }
        }
        var direction = order.descending ? " DESC" : "";
        sql.append(" ORDER BY ")
                .append(column)
                .append(direction)
                .append(", id")
                .append(direction)
                .append(" LIMIT :limit OFFSET :offset");
        params.addValue("limit", paging.fetchSize()).addValue("offset", paging.offset());
        return named.query(sql.toString(), params, this::map);
    }

    long count(ProjectId project, CustomerQuery query) {
        var sql = new StringBuilder("SELECT count(*) FROM customers.customers c WHERE ");
        var params = where(project, query, sql);
        return named.queryForObject(sql.toString(), params, Long.class);
    }

    /**
     * Streams every matching customer in creation order, without holding them all in memory. PostgreSQL streams
     * only inside a transaction, so callers run this in one.
     */
    void forEach(ProjectId project, CustomerQuery query, Consumer<Customer> action) {
        var sql = new StringBuilder("SELECT " + COLUMNS + " FROM customers.customers c WHERE ");
        var params = where(project, query, sql);
        sql.append(" ORDER BY created_at, id");
        var template = new JdbcTemplate(named.getJdbcTemplate().getDataSource());
        template.setFetchSize(1000);
        new NamedParameterJdbcTemplate(template).query(sql.toString(), params, rs -> {
            action.accept(map(rs, 0));
        });
    }

    private static MapSqlParameterSource where(ProjectId project, CustomerQuery query, StringBuilder sql) {
        var params = new MapSqlParameterSource("project", project.value());
        sql.append("c.project_id = :project");
        if (query.email() != null) {
            sql.append(" AND lower(c.email) = lower(:email)");
            params.addValue("email", query.email());
        }
        if (query.city() != null) {
            sql.append(" AND lower(c.address_city) = lower(:city)");
            params.addValue("city", query.city());
        }
        if (query.name() != null) {
            sql.append(" AND c.name ILIKE :name");
            params.addValue("name", "%" + query.name().replace("%", "\\%").replace("_", "\\_") + "%");
        }
        range(sql, params, "created_at", ">", query.createdAfter());
        range(sql, params, "created_at", "<", query.createdBefore());
        range(sql, params, "updated_at", ">", query.updatedAfter());
        range(sql, params, "updated_at", "<", query.updatedBefore());
        int i = 0;
        for (var entry : query.metadata().entrySet()) {
            sql.append(" AND c.metadata ->> :meta_key_")
                    .append(i)
                    .append(" = :meta_value_")
                    .append(i);
            params.addValue("meta_key_" + i, entry.getKey()).addValue("meta_value_" + i, entry.getValue());
            i++;
        }
        if (query.segmentId() != null) {
            sql.append(" AND c.id IN (SELECT customer_id FROM customers.segment_members WHERE segment_id = :segment"
                    + " AND project_id = :project)");
            params.addValue("segment", query.segmentId());
        }
        return params;
    }

    private static void range(StringBuilder sql, MapSqlParameterSource params, String column, String op, Instant at) {
        if (at != null) {
            var name = column + (op.equals(">") ? "_after" : "_before");
            sql.append(" AND c.")
                    .append(column)
                    .append(' ')
                    .append(op)
                    .append(" :")
                    .append(name);
            params.addValue(name, Timestamp.from(at));
        }
    }

    private static boolean isTimestamp(String value) {
        try {
            Instant.parse(value);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    static final String WRITABLE = "id, source_id, name, first_name, last_name, email, phone, description, birthdate,"
            + " address_city, address_state, address_line_1, address_line_2, address_country, address_postal_code,"
            + " metadata, created_at, updated_at";
    private static final String VALUES = ":id, :source_id, :name, :first_name, :last_name, :email, :phone,"
            + " :description, :birthdate, :address_city, :address_state, :address_line_1, :address_line_2,"
            + " :address_country, :address_postal_code, CAST(:metadata AS jsonb), :created_at, :updated_at";

    MapSqlParameterSource params(ProjectId project, Customer c) {
        var a = c.address();
        return new MapSqlParameterSource()
                .addValue("project_id", project.value())
                .addValue("id", c.id())
                .addValue("source_id", c.sourceId())
                .addValue("name", c.name())
                .addValue("first_name", c.firstName())
                .addValue("last_name", c.lastName())
                .addValue("email", c.email())
                .addValue("phone", c.phone())
                .addValue("description", c.description())
                .addValue("birthdate", c.birthdate() == null ? null : Date.valueOf(c.birthdate()))
                .addValue("address_city", a.city())
                .addValue("address_state", a.state())
                .addValue("address_line_1", a.line1())
                .addValue("address_line_2", a.line2())
                .addValue("address_country", a.country())
                .addValue("address_postal_code", a.postalCode())
                .addValue("metadata", json.writeValueAsString(c.metadata()))
                .addValue("created_at", Timestamp.from(c.createdAt()))
                .addValue("updated_at", Timestamp.from(c.updatedAt()));
    }

    @SuppressWarnings("unchecked")
    Customer map(ResultSet rs, int row) throws SQLException {
        var birthdate = rs.getDate("birthdate");
        return new Customer(
                rs.getString("id"),
                rs.getString("source_id"),
                rs.getString("name"),
                rs.getString("first_name"),
                rs.getString("last_name"),
                rs.getString("email"),
                rs.getString("phone"),
                rs.getString("description"),
                birthdate == null ? null : birthdate.toLocalDate(),
                new Address(
                        rs.getString("address_city"),
                        rs.getString("address_state"),
                        rs.getString("address_line_1"),
                        rs.getString("address_line_2"),
                        rs.getString("address_country"),
                        rs.getString("address_postal_code")),
                json.readValue(rs.getString("metadata"), LinkedHashMap.class),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
