package io.bestow.campaigns;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.bestow.shared.SqlTimes;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The campaigns table. */
@Repository
class Campaigns {

    private static final String COLUMNS = "id, name, description, campaign_type, type, voucher::text AS voucher,"
            + " start_date, expiration_date, active, join_once, rules::text AS rules, per_customer,"
            + " referral_program::text AS referral_program, category, metadata::text AS metadata, vouchers_count,"
            + " generation, created_at, updated_at";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    Campaigns(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Inserts the campaign unless its name is taken; returns whether it did. */
    boolean insert(ProjectId project, Campaign campaign) {
        return jdbc.sql("""
                        INSERT INTO campaigns.campaigns (id, project_id, name, description, campaign_type, type, voucher,
                            start_date, expiration_date, active, join_once, rules, per_customer, referral_program,
                            category, metadata, vouchers_count, generation, created_at, updated_at)
                        VALUES (:id, :project, :name, :description, :campaignType, :type, CAST(:voucher AS jsonb),
                            :start, :expiration, :active, :joinOnce, CAST(:rules AS jsonb), :perCustomer,
                            CAST(:referral AS jsonb), :category, CAST(:metadata AS jsonb), 0, :generation, :created, :updated)
                        ON CONFLICT (project_id, name) DO NOTHING
                        """).paramSource(params(project, campaign)).update() == 1;
    }

    /** Writes the campaign's settings; returns false when another campaign has its new name. */
    boolean update(ProjectId project, Campaign campaign) {
        return jdbc.sql("""
                        UPDATE campaigns.campaigns SET name = :name, description = :description, type = :type,
                            voucher = CAST(:voucher AS jsonb), start_date = :start, expiration_date = :expiration,
                            active = :active, join_once = :joinOnce, rules = CAST(:rules AS jsonb),
                            per_customer = :perCustomer, referral_program = CAST(:referral AS jsonb),
                            category = :category, metadata = CAST(:metadata AS jsonb), updated_at = :updated
                        WHERE project_id = :project AND id = :id
                          AND NOT EXISTS (SELECT 1 FROM campaigns.campaigns other
                                          WHERE other.project_id = :project AND other.name = :name AND other.id <> :id)
                        """).paramSource(params(project, campaign)).update() == 1;
    }

    private Map<String, @Nullable Object> params(ProjectId project, Campaign c) {
        var params = new LinkedHashMap<String, @Nullable Object>();
        params.put("id", c.id());
        params.put("project", project.value());
        params.put("name", c.name());
        params.put("description", c.description());
        params.put("campaignType", c.campaignType());
        params.put("type", c.type());
        params.put("voucher", json.writeValueAsString(c.voucher()));
        params.put("start", SqlTimes.timestamp(c.startDate()));
        params.put("expiration", SqlTimes.timestamp(c.expirationDate()));
        params.put("active", c.active());
        params.put("joinOnce", c.joinOnce());
        params.put("rules", json.writeValueAsString(c.rules()));
        params.put("perCustomer", c.redemptionsPerCustomer());
        params.put("referral", c.referralProgram() == null ? null : json.writeValueAsString(c.referralProgram()));
        params.put("category", c.category());
        params.put("metadata", json.writeValueAsString(c.metadata()));
        params.put("generation", c.vouchersGenerationStatus());
        params.put("created", Timestamp.from(c.createdAt()));
        params.put("updated", Timestamp.from(c.updatedAt()));
        return params;
    }

    /** A campaign by its id or, as Voucherify allows, its name. */
    Optional<Campaign> find(ProjectId project, String idOrName) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM campaigns.campaigns WHERE project_id = ? AND (id = ? OR name = ?)"
                        + " ORDER BY id = ? DESC LIMIT 1")
                .params(project.value(), idOrName, idOrName, idOrName)
                .query(this::map)
                .optional();
    }

    Optional<Campaign> lock(ProjectId project, String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM campaigns.campaigns WHERE project_id = ? AND id = ? FOR UPDATE")
                .params(project.value(), id)
                .query(this::map)
                .optional();
    }

    List<Campaign> list(ProjectId project, @Nullable String campaignType, Paging paging) {
        return paging.select(
                        jdbc,
                        COLUMNS,
                        "campaigns.campaigns",
                        project,
                        "AND (CAST(:campaignType AS text) IS NULL OR campaign_type = :campaignType)",
                        true)
                .param("campaignType", campaignType)
                .query(this::map)
                .list();
    }

    long count(ProjectId project, @Nullable String campaignType) {
        return jdbc.sql("""
                        SELECT count(*) FROM campaigns.campaigns
                        WHERE project_id = ? AND (CAST(? AS text) IS NULL OR campaign_type = ?)
                        """)
                .params(project.value(), campaignType, campaignType)
                .query(Long.class)
                .single();
    }

    void delete(ProjectId project, String id) {
        jdbc.sql("DELETE FROM campaigns.campaigns WHERE project_id = ? AND id = ?")
                .params(project.value(), id)
                .update();
    }

    void addVouchers(ProjectId project, String id, long count, Instant now) {
        jdbc.sql("""
                        UPDATE campaigns.campaigns SET vouchers_count = greatest(0, vouchers_count + ?), updated_at = ?
                        WHERE project_id = ? AND id = ?
                        """).params(count, Timestamp.from(now), project.value(), id).update();
    }

    void generation(ProjectId project, String id, String status) {
        jdbc.sql("UPDATE campaigns.campaigns SET generation = ? WHERE project_id = ? AND id = ?")
                .params(status, project.value(), id)
                .update();
    }

    private Campaign map(ResultSet rs, int row) throws SQLException {
        var referral = rs.getString("referral_program");
        return new Campaign(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("description"),
                rs.getString("campaign_type"),
                rs.getString("type"),
                json.readValue(rs.getString("voucher"), VoucherTemplate.class),
                SqlTimes.instant(rs.getTimestamp("start_date")),
                SqlTimes.instant(rs.getTimestamp("expiration_date")),
                rs.getBoolean("active"),
                rs.getBoolean("join_once"),
                json.readValue(rs.getString("rules"), new TypeReference<List<Rule>>() {}),
                (Integer) rs.getObject("per_customer"),
                referral == null ? null : json.readValue(referral, ReferralProgram.class),
                rs.getString("category"),
                json.readValue(rs.getString("metadata"), new TypeReference<Map<String, Object>>() {}),
                rs.getLong("vouchers_count"),
                rs.getString("generation"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
