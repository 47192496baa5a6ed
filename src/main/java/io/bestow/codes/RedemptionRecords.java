package io.bestow.codes;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The redemptions and rollbacks tables: every attempt, successful or not, and every undoing. */
@Repository
class RedemptionRecords {

    private static final String COLUMNS = "id, parent_id, related_object_type, voucher_id, code, campaign_id,"
            + " customer_id, tracking_id, result, status, failure_code, failure_message, amount, gift_amount,"
            + " order_data::text AS order_data, metadata::text AS metadata, created_at";
    private static final String ROLLBACK_COLUMNS = "r.id, r.redemption_id, r.customer_id, r.tracking_id, r.reason,"
            + " r.amount, r.gift_amount, r.metadata::text AS metadata, r.created_at, d.related_object_type,"
            + " d.voucher_id, d.order_data::text AS order_data";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;

    RedemptionRecords(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(ProjectId project, Redemption r) {
        jdbc.sql("""
                        INSERT INTO codes.redemptions (id, project_id, parent_id, related_object_type, voucher_id, code,
                            campaign_id, customer_id, tracking_id, result, status, failure_code, failure_message, amount,
                            gift_amount, order_data, metadata, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb), ?)
                        """)
                .params(
                        r.id(),
                        project.value(),
                        r.parentId(),
                        r.relatedObjectType(),
                        "voucher".equals(r.relatedObjectType()) ? r.relatedObjectId() : null,
                        r.code(),
                        r.campaignId(),
                        r.customerId(),
                        r.trackingId(),
                        r.result(),
                        r.status(),
                        r.failureCode(),
                        r.failureMessage(),
                        r.amount(),
                        r.giftAmount(),
                        r.order() == null ? null : json.writeValueAsString(r.order()),
                        json.writeValueAsString(r.metadata()),
                        Timestamp.from(r.date()))
                .update();
    }

    Optional<Redemption> find(ProjectId project, String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM codes.redemptions WHERE project_id = ? AND id = ?")
                .params(project.value(), id)
                .query(this::map)
                .optional();
    }

    Optional<Redemption> lock(ProjectId project, String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM codes.redemptions WHERE project_id = ? AND id = ? FOR UPDATE")
                .params(project.value(), id)
                .query(this::map)
                .optional();
    }

    List<Redemption> children(ProjectId project, String parentId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM codes.redemptions WHERE project_id = ? AND parent_id = ?"
                        + " ORDER BY id FOR UPDATE")
                .params(project.value(), parentId)
                .query(this::map)
                .list();
    }

    /** Newest first; filters by {@code result}, campaign id, customer id and voucher id. */
    List<Redemption> list(ProjectId project, Filter filter, Paging paging) {
        return paging.select(jdbc, COLUMNS, "codes.redemptions", project, Filter.SQL, true)
                .params(filter.params())
                .query(this::map)
                .list();
    }

    long count(ProjectId project, Filter filter) {
        return Paging.count(jdbc, "codes.redemptions", project, Filter.SQL)
                .params(filter.params())
                .query(Long.class)
                .single();
    }

    /** What the list of redemptions may be narrowed to. */
    record Filter(
            @Nullable String result,
            @Nullable String campaignId,
            @Nullable String customerId,
            @Nullable String voucherId) {

        static final String SQL = "AND (CAST(:result AS text) IS NULL OR result = :result)"
                + " AND (CAST(:campaign AS text) IS NULL OR campaign_id = :campaign)"
                + " AND (CAST(:customer AS text) IS NULL OR customer_id = :customer)"
                + " AND (CAST(:voucher AS text) IS NULL OR voucher_id = :voucher)";

        Map<String, @Nullable Object> params() {
            var params = new HashMap<String, @Nullable Object>();
            params.put("result", result);
            params.put("campaign", campaignId);
            params.put("customer", customerId);
            params.put("voucher", voucherId);
            return params;
        }
    }

    /** Successful redemptions of a campaign's codes (or of one code, without a campaign) by a customer. */
    long countByCustomer(ProjectId project, @Nullable String campaignId, String voucherId, String customerId) {
        // Each case on its own column, so that each uses its partial index.
        var column = campaignId != null ? "campaign_id" : "voucher_id";
        return jdbc.sql("SELECT count(*) FROM codes.redemptions WHERE " + column
                        + " = ? AND customer_id = ? AND status = 'SUCCEEDED' AND project_id = ?")
                .params(campaignId != null ? campaignId : voucherId, customerId, project.value())
                .query(Long.class)
                .single();
    }

    void markRolledBack(ProjectId project, String id) {
        jdbc.sql("UPDATE codes.redemptions SET status = 'ROLLED_BACK' WHERE project_id = ? AND id = ?")
                .params(project.value(), id)
                .update();
    }

    /** Records a rollback; returns false when the redemption was already rolled back. */
    boolean insertRollback(ProjectId project, Rollback r, @Nullable String parentId) {
        return jdbc.sql("""
                        INSERT INTO codes.rollbacks (id, project_id, redemption_id, parent_id, customer_id, tracking_id,
                            reason, amount, gift_amount, metadata, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?)
                        ON CONFLICT (redemption_id) DO NOTHING
                        """)
                        .params(
                                r.id(),
                                project.value(),
                                r.redemptionId(),
                                parentId,
                                r.customerId(),
                                r.trackingId(),
                                r.reason(),
                                r.amount(),
                                r.giftAmount(),
                                json.writeValueAsString(r.metadata()),
                                Timestamp.from(r.date()))
                        .update()
                == 1;
    }

    Optional<Rollback> findRollback(ProjectId project, String id) {
        return jdbc.sql("SELECT " + ROLLBACK_COLUMNS + " FROM codes.rollbacks r"
                        + " JOIN codes.redemptions d ON d.id = r.redemption_id WHERE r.project_id = ? AND r.id = ?")
                .params(project.value(), id)
                .query((rs, n) -> new Rollback(
                        rs.getString("id"),
                        rs.getTimestamp("created_at").toInstant(),
                        rs.getString("customer_id"),
                        rs.getString("tracking_id"),
                        json.readValue(rs.getString("metadata"), MAP),
                        rs.getLong("amount"),
                        rs.getString("redemption_id"),
                        rs.getString("reason"),
                        orderOf(rs),
                        null,
                        rs.getString("related_object_type"),
                        rs.getString("voucher_id"),
                        null,
                        (Long) rs.getObject("gift_amount")))
                .optional();
    }

    private @Nullable Map<String, Object> orderOf(ResultSet rs) throws SQLException {
        var order = rs.getString("order_data");
        return order == null ? null : json.readValue(order, MAP);
    }

    private Redemption map(ResultSet rs, int row) throws SQLException {
        var type = rs.getString("related_object_type");
        var voucherId = rs.getString("voucher_id");
        return new Redemption(
                rs.getString("id"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getString("customer_id"),
                rs.getString("tracking_id"),
                json.readValue(rs.getString("metadata"), MAP),
                rs.getLong("amount"),
                rs.getString("parent_id"),
                rs.getString("result"),
                rs.getString("status"),
                rs.getString("failure_code"),
                rs.getString("failure_message"),
                orderOf(rs),
                null,
                type,
                "voucher".equals(type) ? voucherId : rs.getString("id"),
                voucherId == null && rs.getString("code") == null
                        ? null
                        : Map.of(
                                "id",
                                voucherId == null ? "" : voucherId,
                                "code",
                                rs.getString("code"),
                                "object",
                                "voucher"),
                rs.getString("code"),
                rs.getString("campaign_id"),
                (Long) rs.getObject("gift_amount"));
    }
}
