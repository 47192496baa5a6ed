package io.bestow.referrals;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The conversions table. */
@Repository
class Conversions {

    private static final String COLUMNS = "id, campaign_id, code, referrer_id, referee_id, trigger, redemption_id,"
            + " event, rewarded, reward::text AS reward, created_at";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    Conversions(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Records the conversion unless the referee already converted in the campaign; returns whether it did. */
    boolean insert(ProjectId project, Conversion c) {
        return jdbc.sql("""
                        INSERT INTO referrals.conversions (id, project_id, campaign_id, code, referrer_id, referee_id,
                            trigger, redemption_id, event, rewarded, reward, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?)
                        ON CONFLICT (campaign_id, referee_id) DO NOTHING
                        """)
                        .params(
                                c.id(),
                                project.value(),
                                c.campaignId(),
                                c.code(),
                                c.referrerId(),
                                c.refereeId(),
                                c.trigger(),
                                c.redemptionId(),
                                c.event(),
                                c.rewarded(),
                                c.reward() == null ? null : json.writeValueAsString(c.reward()),
                                Timestamp.from(c.createdAt()))
                        .update()
                == 1;
    }

    void recordReward(ProjectId project, String id, Map<String, Object> reward) {
        jdbc.sql("UPDATE referrals.conversions SET reward = CAST(? AS jsonb) WHERE project_id = ? AND id = ?")
                .params(json.writeValueAsString(reward), project.value(), id)
                .update();
    }

    long countRewarded(String campaignId, String referrerId) {
        return jdbc.sql(
                        "SELECT count(*) FROM referrals.conversions WHERE campaign_id = ? AND referrer_id = ? AND rewarded")
                .params(campaignId, referrerId)
                .query(Long.class)
                .single();
    }

    List<Conversion> list(ProjectId project, @Nullable String campaignId, @Nullable String referrerId, Paging paging) {
        return paging.select(jdbc, COLUMNS, "referrals.conversions", project, FILTER, true)
                .param("campaign", campaignId)
                .param("referrer", referrerId)
                .query(this::map)
                .list();
    }

    long count(ProjectId project, @Nullable String campaignId, @Nullable String referrerId) {
        return Paging.count(jdbc, "referrals.conversions", project, FILTER)
                .param("campaign", campaignId)
                .param("referrer", referrerId)
                .query(Long.class)
                .single();
    }

    private static final String FILTER = "AND (CAST(:campaign AS text) IS NULL OR campaign_id = :campaign)"
            + " AND (CAST(:referrer AS text) IS NULL OR referrer_id = :referrer)";

    private Conversion map(ResultSet rs, int row) throws SQLException {
        var reward = rs.getString("reward");
        return new Conversion(
                rs.getString("id"),
                rs.getString("campaign_id"),
                rs.getString("code"),
                rs.getString("referrer_id"),
                rs.getString("referee_id"),
                rs.getString("trigger"),
                rs.getString("redemption_id"),
                rs.getString("event"),
                rs.getBoolean("rewarded"),
                reward == null ? null : json.readValue(reward, new TypeReference<Map<String, Object>>() {}),
                rs.getTimestamp("created_at").toInstant());
    }
}
