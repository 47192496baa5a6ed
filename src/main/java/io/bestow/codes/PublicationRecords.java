package io.bestow.codes;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The publications table. */
@Repository
class PublicationRecords {

    private static final String COLUMNS = "id, campaign_id, voucher_id, code, customer_id, source_id, channel,"
            + " metadata::text AS metadata, created_at";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    PublicationRecords(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(ProjectId project, Publication p, boolean joinOnce) {
        jdbc.sql("""
                        INSERT INTO codes.publications (id, project_id, campaign_id, voucher_id, code, customer_id,
                            join_once, source_id, channel, metadata, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?)
                        """)
                .params(
                        p.id(),
                        project.value(),
                        p.campaignId(),
                        p.voucherId(),
                        p.code(),
                        p.customerId(),
                        joinOnce,
                        p.sourceId(),
                        p.channel(),
                        json.writeValueAsString(p.metadata()),
                        Timestamp.from(p.createdAt()))
                .update();
    }

    Optional<Publication> bySourceId(ProjectId project, String sourceId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM codes.publications WHERE project_id = ? AND source_id = ?")
                .params(project.value(), sourceId)
                .query(this::map)
                .optional();
    }

    /** The customer's first publication in the campaign, the one {@code join_once} hands out again. */
    Optional<Publication> first(ProjectId project, String campaignId, String customerId) {
        return jdbc.sql(
                        "SELECT " + COLUMNS + " FROM codes.publications"
                                + " WHERE campaign_id = ? AND customer_id = ? AND project_id = ? ORDER BY created_at, id LIMIT 1")
                .params(campaignId, customerId, project.value())
                .query(this::map)
                .optional();
    }

    List<Publication> list(ProjectId project, @Nullable String campaignId, @Nullable String customerId, Paging paging) {
        return paging.select(jdbc, COLUMNS, "codes.publications", project, FILTER, true)
                .param("campaign", campaignId)
                .param("customer", customerId)
                .query(this::map)
                .list();
    }

    long count(ProjectId project, @Nullable String campaignId, @Nullable String customerId) {
        return Paging.count(jdbc, "codes.publications", project, FILTER)
                .param("campaign", campaignId)
                .param("customer", customerId)
                .query(Long.class)
                .single();
    }

    private static final String FILTER = "AND (CAST(:campaign AS text) IS NULL OR campaign_id = :campaign)"
            + " AND (CAST(:customer AS text) IS NULL OR customer_id = :customer)";

    private Publication map(ResultSet rs, int row) throws SQLException {
        return new Publication(
                rs.getString("id"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getString("customer_id"),
                null,
                json.readValue(rs.getString("metadata"), new TypeReference<Map<String, Object>>() {}),
                rs.getString("channel"),
                rs.getString("source_id"),
                null,
                null,
                rs.getString("voucher_id"),
                rs.getString("code"),
                rs.getString("campaign_id"));
    }
}
