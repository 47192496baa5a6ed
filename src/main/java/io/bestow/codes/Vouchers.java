package io.bestow.codes;

import io.bestow.campaigns.Discount;
import io.bestow.campaigns.Gift;
import io.bestow.campaigns.VoucherTemplate;
import io.bestow.shared.Ids;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.bestow.shared.SqlTimes;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The vouchers table. */
@Repository
class Vouchers {

    static final String COLUMNS = "id, code, campaign_id, category, type, discount::text AS discount, gift_amount,"
            + " gift_balance, currency, redemption_quantity, redeemed_quantity, redeemed_amount, start_date,"
            + " expiration_date, active, is_referral_code, holder_id, metadata::text AS metadata, publish_count,"
            + " created_at, updated_at";

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final JsonMapper json;

    Vouchers(JdbcClient jdbc, JdbcTemplate template, JsonMapper json) {
        this.jdbc = jdbc;
        this.template = template;
        this.json = json;
    }

    /** Inserts the voucher unless its code is taken in the project; returns whether it did. */
    boolean insert(ProjectId project, Voucher v) {
        return jdbc.sql("""
                        INSERT INTO codes.vouchers (id, project_id, code, campaign_id, category, type, discount,
                            gift_amount, gift_balance, currency, redemption_quantity, start_date, expiration_date,
                            active, is_referral_code, holder_id, metadata, created_at, updated_at)
                        VALUES (:id, :project, :code, :campaignId, :category, :type, CAST(:discount AS jsonb),
                            :giftAmount, :giftBalance, :currency, :quantity, :start, :expiration, :active, :referral,
                            :holder, CAST(:metadata AS jsonb), :created, :updated)
                        ON CONFLICT (project_id, code) DO NOTHING
                        """).paramSource(params(project, v)).update() == 1;
    }

    /**
     * Inserts codes made from a campaign's template in one statement; codes already taken in the project are
     * skipped. Returns how many went in.
     */
    int insertAll(
            ProjectId project,
            String campaignId,
            VoucherTemplate template,
            @Nullable String category,
            List<String> codes,
            Instant now) {
        var ids = codes.stream().map(code -> Ids.generate("v")).toArray(String[]::new);
        var gift = template.gift();
        var discount = template.discount() == null ? null : json.writeValueAsString(template.discount());
        return this.template.update(con -> {
            var statement = con.prepareStatement("""
                    INSERT INTO codes.vouchers (id, project_id, code, campaign_id, category, type, discount,
                        gift_amount, gift_balance, currency, redemption_quantity, start_date, expiration_date,
                        active, is_referral_code, metadata, created_at, updated_at)
                    SELECT t.id, ?, t.code, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?, ?, NULL, NULL, true, ?, '{}', ?, ?
                    FROM unnest(?::text[], ?::text[]) AS t(id, code)
                    ON CONFLICT (project_id, code) DO NOTHING
                    """);
            int i = 1;
            statement.setString(i++, project.value());
            statement.setString(i++, campaignId);
            statement.setString(i++, category);
            statement.setString(i++, template.type());
            statement.setString(i++, discount);
            statement.setObject(i++, gift == null ? null : gift.amount(), Types.BIGINT);
            statement.setObject(i++, gift == null ? null : gift.amount(), Types.BIGINT);
            statement.setString(i++, template.currency());
            statement.setObject(i++, template.redemptionQuantity(), Types.INTEGER);
            statement.setBoolean(i++, template.referral());
            statement.setTimestamp(i++, Timestamp.from(now));
            statement.setTimestamp(i++, Timestamp.from(now));
            statement.setArray(i++, con.createArrayOf("text", ids));
            statement.setArray(i, con.createArrayOf("text", codes.toArray()));
            return statement;
        });
    }

    Optional<Voucher> find(ProjectId project, String code) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM codes.vouchers WHERE project_id = ? AND code = ?")
                .params(project.value(), code)
                .query(this::map)
                .optional();
    }

    /** A voucher by its code or, failing that, its id ({@code v_…}), as Voucherify's {@code GET} allows. */
    Optional<Voucher> findByCodeOrId(ProjectId project, String codeOrId) {
        var byCode = find(project, codeOrId);
        if (byCode.isPresent() || !codeOrId.startsWith("v_")) {
            return byCode;
        }
        return jdbc.sql("SELECT " + COLUMNS + " FROM codes.vouchers WHERE project_id = ? AND id = ?")
                .params(project.value(), codeOrId)
                .query(this::map)
                .optional();
    }

    Optional<Voucher> lock(ProjectId project, String code) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM codes.vouchers WHERE project_id = ? AND code = ? FOR UPDATE")
                .params(project.value(), code)
                .query(this::map)
                .optional();
    }

    /** The settings a voucher update may change. */
    void update(ProjectId project, Voucher v) {
        jdbc.sql("""
                        UPDATE codes.vouchers SET category = :category, discount = CAST(:discount AS jsonb),
                            gift_amount = :giftAmount, gift_balance = :giftBalance, currency = :currency,
                            redemption_quantity = :quantity, start_date = :start, expiration_date = :expiration,
                            active = :active, metadata = CAST(:metadata AS jsonb), updated_at = :updated
                        WHERE project_id = :project AND id = :id
                        """).paramSource(params(project, v)).update();
    }

    void delete(ProjectId project, String id) {
        jdbc.sql("DELETE FROM codes.vouchers WHERE project_id = ? AND id = ?")
                .params(project.value(), id)
                .update();
    }

    int deleteCampaign(ProjectId project, String campaignId) {
        return jdbc.sql("DELETE FROM codes.vouchers WHERE project_id = ? AND campaign_id = ?")
                .params(project.value(), campaignId)
                .update();
    }

    /** Newest first; filters by {@code campaign_id} and holder. */
    List<Voucher> list(ProjectId project, @Nullable String campaignId, @Nullable String holderId, Paging paging) {
        return paging.select(jdbc, COLUMNS, "codes.vouchers", project, FILTER, true)
                .param("campaign", campaignId)
                .param("holder", holderId)
                .query(this::map)
                .list();
    }

    long count(ProjectId project, @Nullable String campaignId, @Nullable String holderId) {
        return Paging.count(jdbc, "codes.vouchers", project, FILTER)
                .param("campaign", campaignId)
                .param("holder", holderId)
                .query(Long.class)
                .single();
    }

    private static final String FILTER = "AND (CAST(:campaign AS text) IS NULL OR campaign_id = :campaign)"
            + " AND (CAST(:holder AS text) IS NULL OR holder_id = :holder)";

    /** Locks an active code of the campaign that nobody holds yet, skipping codes other publications have locked. */
    Optional<Voucher> lockUnpublished(ProjectId project, String campaignId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM codes.vouchers"
                        + " WHERE campaign_id = ? AND project_id = ? AND holder_id IS NULL AND active"
                        + " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED")
                .params(campaignId, project.value())
                .query(this::map)
                .optional();
    }

    /** Hands the code to a customer. */
    Voucher publish(ProjectId project, String id, String customerId, Instant now) {
        return jdbc.sql(
                        "UPDATE codes.vouchers SET holder_id = coalesce(holder_id, ?), publish_count = publish_count + 1,"
                                + " updated_at = ? WHERE project_id = ? AND id = ? RETURNING " + COLUMNS)
                .params(customerId, Timestamp.from(now), project.value(), id)
                .query(this::map)
                .single();
    }

    /**
     * Counts a redemption of a voucher locked by {@link #lock}: one use, the discount given and the gift credit
     * drawn. The database refuses a gift balance below zero.
     */
    void redeem(ProjectId project, String id, long amount, long giftAmount, Instant now) {
        jdbc.sql("""
                        UPDATE codes.vouchers SET redeemed_quantity = redeemed_quantity + 1,
                            redeemed_amount = redeemed_amount + ?, gift_balance = gift_balance - ?, updated_at = ?
                        WHERE project_id = ? AND id = ?
                        """)
                .params(amount, giftAmount, Timestamp.from(now), project.value(), id)
                .update();
    }

    /** Undoes a redemption's counts; returns false when the voucher is gone. */
    boolean restore(ProjectId project, String id, long amount, long giftAmount, Instant now) {
        return jdbc.sql("""
                        UPDATE codes.vouchers SET redeemed_quantity = greatest(0, redeemed_quantity - 1),
                            redeemed_amount = greatest(0, redeemed_amount - ?),
                            gift_balance = gift_balance + ?, updated_at = ?
                        WHERE project_id = ? AND id = ?
                        """)
                        .params(amount, giftAmount, Timestamp.from(now), project.value(), id)
                        .update()
                == 1;
    }

    /** Adds credit to a gift voucher (a reward); returns the voucher after. */
    Voucher addBalance(ProjectId project, String id, long amount, Instant now) {
        return jdbc.sql("""
                        UPDATE codes.vouchers SET gift_amount = gift_amount + ?, gift_balance = gift_balance + ?,
                            updated_at = ?
                        WHERE project_id = ? AND id = ? RETURNING\s""" + COLUMNS)
                .params(amount, amount, Timestamp.from(now), project.value(), id)
                .query(this::map)
                .single();
    }

    private Map<String, @Nullable Object> params(ProjectId project, Voucher v) {
        var params = new LinkedHashMap<String, @Nullable Object>();
        params.put("id", v.id());
        params.put("project", project.value());
        params.put("code", v.code());
        params.put("campaignId", v.campaignId());
        params.put("category", v.category());
        params.put("type", v.type());
        params.put("discount", v.discount() == null ? null : json.writeValueAsString(v.discount()));
        params.put("giftAmount", v.gift() == null ? null : v.gift().amount());
        params.put("giftBalance", v.gift() == null ? null : v.gift().balance());
        params.put("currency", v.currency());
        params.put("quantity", v.redemptionQuantity());
        params.put("start", SqlTimes.timestamp(v.startDate()));
        params.put("expiration", SqlTimes.timestamp(v.expirationDate()));
        params.put("active", v.active());
        params.put("referral", v.isReferralCode());
        params.put("holder", v.holderId());
        params.put("metadata", json.writeValueAsString(v.metadata()));
        params.put("created", Timestamp.from(v.createdAt()));
        params.put("updated", Timestamp.from(v.updatedAt()));
        return params;
    }

    Voucher map(ResultSet rs, int row) throws SQLException {
        var discount = rs.getString("discount");
        var giftAmount = (Long) rs.getObject("gift_amount");
        return new Voucher(
                rs.getString("id"),
                rs.getString("code"),
                null,
                rs.getString("campaign_id"),
                rs.getString("category"),
                rs.getString("type"),
                discount == null ? null : json.readValue(discount, Discount.class),
                giftAmount == null ? null : new Gift(giftAmount, rs.getLong("gift_balance"), null),
                rs.getString("currency"),
                (Integer) rs.getObject("redemption_quantity"),
                rs.getInt("redeemed_quantity"),
                rs.getLong("redeemed_amount"),
                SqlTimes.instant(rs.getTimestamp("start_date")),
                SqlTimes.instant(rs.getTimestamp("expiration_date")),
                rs.getBoolean("active"),
                rs.getBoolean("is_referral_code"),
                rs.getString("holder_id"),
                json.readValue(rs.getString("metadata"), new TypeReference<Map<String, Object>>() {}),
                rs.getInt("publish_count"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
