package io.bestow.budgets;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.bestow.shared.SqlFilters;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The wallets table: a budget's settings and its balances (which only the {@link Ledger} changes). */
@Repository
class Budgets {

    static final String COLUMNS = "id, name, owner_type, owner_id, currency, available, held, spent,"
            + " per_recipient_annual_cap, low_balance_threshold, approval_threshold, metadata::text AS metadata,"
            + " created_at, updated_at";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    Budgets(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(ProjectId project, Budget budget) {
        jdbc.sql("""
                        INSERT INTO budgets.wallets (id, project_id, name, owner_type, owner_id, currency,
                            per_recipient_annual_cap, low_balance_threshold, approval_threshold, metadata,
                            created_at, updated_at)
                        VALUES (:id, :project, :name, :ownerType, :ownerId, :currency, :cap, :low, :approval,
                            CAST(:metadata AS jsonb), :created, :updated)
                        """).params(params(project, budget)).update();
    }

    /** Saves the settings; balances are the ledger's alone. */
    void update(ProjectId project, Budget budget) {
        jdbc.sql("""
                        UPDATE budgets.wallets SET name = :name, per_recipient_annual_cap = :cap,
                            low_balance_threshold = :low, approval_threshold = :approval,
                            metadata = CAST(:metadata AS jsonb), updated_at = :updated,
                            low_since = CASE WHEN CAST(:low AS bigint) IS NULL OR available >= :low THEN NULL
                                             ELSE low_since END
                        WHERE project_id = :project AND id = :id
                        """).params(params(project, budget)).update();
    }

    /** Deletes a wallet that never had an entry; false when it has one (its ledger must stay). */
    boolean deleteUnused(ProjectId project, String id) {
        return jdbc.sql("""
                        DELETE FROM budgets.wallets w WHERE project_id = ? AND id = ?
                        AND NOT EXISTS (SELECT 1 FROM budgets.entries e WHERE e.wallet_id = w.id)
                        """).params(project.value(), id).update() > 0;
    }

    Optional<Budget> find(ProjectId project, String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM budgets.wallets WHERE project_id = ? AND id = ?")
                .params(project.value(), id)
                .query(this::map)
                .optional();
    }

    /** The oldest wallet of this owner in this currency. */
    Optional<Budget> findOwned(ProjectId project, Budget.Owner owner, String currency) {
        return jdbc.sql("SELECT " + COLUMNS + """
                         FROM budgets.wallets WHERE project_id = ? AND owner_type = ? AND owner_id = ? AND currency = ?
                        ORDER BY created_at, id LIMIT 1
                        """)
                .params(project.value(), owner.type(), owner.id(), currency)
                .query(this::map)
                .optional();
    }

    List<Budget> list(ProjectId project, Filter filter, Paging paging) {
        var where = filter.sql();
        return where.bind(paging.select(jdbc, COLUMNS, "budgets.wallets", project, where.sql(), false))
                .query(this::map)
                .list();
    }

    long count(ProjectId project, Filter filter) {
        var where = filter.sql();
        return where.bind(Paging.count(jdbc, "budgets.wallets", project, where.sql()))
                .query(Long.class)
                .single();
    }

    /** List filters: by owner type, owner id and currency, each optional. */
    record Filter(
            @Nullable String ownerType,
            @Nullable String ownerId,
            @Nullable String currency) {

        SqlFilters sql() {
            return new SqlFilters()
                    .where("owner_type", ownerType)
                    .where("owner_id", ownerId)
                    .where("currency", currency);
        }
    }

    private Map<String, Object> params(ProjectId project, Budget budget) {
        var params = new LinkedHashMap<String, Object>();
        params.put("id", budget.id());
        params.put("project", project.value());
        params.put("name", budget.name());
        params.put("ownerType", budget.owner().type());
        params.put("ownerId", budget.owner().id());
        params.put("currency", budget.currency());
        params.put("cap", budget.perRecipientAnnualCap());
        params.put("low", budget.lowBalanceThreshold());
        params.put("approval", budget.approvalThreshold());
        params.put("metadata", json.writeValueAsString(budget.metadata()));
        params.put("created", Timestamp.from(budget.createdAt()));
        params.put("updated", Timestamp.from(budget.updatedAt()));
        return params;
    }

    Budget map(ResultSet rs, int row) throws SQLException {
        return new Budget(
                rs.getString("id"),
                rs.getString("name"),
                new Budget.Owner(rs.getString("owner_type"), rs.getString("owner_id")),
                rs.getString("currency"),
                rs.getLong("available"),
                rs.getLong("held"),
                rs.getLong("spent"),
                rs.getObject("per_recipient_annual_cap", Long.class),
                rs.getObject("low_balance_threshold", Long.class),
                rs.getObject("approval_threshold", Long.class),
                json.readValue(rs.getString("metadata"), new TypeReference<Map<String, Object>>() {}),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
