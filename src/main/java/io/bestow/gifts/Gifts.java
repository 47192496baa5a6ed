package io.bestow.gifts;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.bestow.shared.SqlFilters;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The gift catalog table. */
@Repository
class Gifts {

    private static final String COLUMNS = "id, name, type, cost, shipping_cost, currency, face_value, sku, ships_to,"
            + " provider, action_id, provider_ref, active, image_url, description, metadata::text AS metadata,"
            + " created_at, updated_at";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    Gifts(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(ProjectId project, Gift gift) {
        jdbc.sql("""
                        INSERT INTO gifts.gifts (id, project_id, name, type, cost, shipping_cost, currency, face_value,
                            sku, ships_to, provider, action_id, provider_ref, active, image_url, description, metadata,
                            created_at, updated_at)
                        VALUES (:id, :project, :name, :type, :cost, :shipping, :currency, :faceValue, :sku,
                            CAST(:shipsTo AS text[]), :provider, :actionId, :providerRef, :active, :imageUrl,
                            :description, CAST(:metadata AS jsonb), :created, :updated)
                        """).params(params(project, gift)).update();
    }

    void update(ProjectId project, Gift gift) {
        jdbc.sql("""
                        UPDATE gifts.gifts SET name = :name, cost = :cost, shipping_cost = :shipping,
                            face_value = :faceValue, sku = :sku, ships_to = CAST(:shipsTo AS text[]),
                            provider = :provider, action_id = :actionId, provider_ref = :providerRef, active = :active,
                            image_url = :imageUrl, description = :description, metadata = CAST(:metadata AS jsonb),
                            updated_at = :updated
                        WHERE project_id = :project AND id = :id
                        """).params(params(project, gift)).update();
    }

    /** Deletes a gift nobody was ever sent; false when it has sends (which keep pointing at it). */
    boolean deleteUnsent(ProjectId project, String id) {
        return jdbc.sql("""
                        DELETE FROM gifts.gifts g WHERE project_id = ? AND id = ?
                        AND NOT EXISTS (SELECT 1 FROM gifts.sends s WHERE s.gift_id = g.id)
                        """).params(project.value(), id).update() > 0;
    }

    Optional<Gift> find(ProjectId project, String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM gifts.gifts WHERE project_id = ? AND id = ?")
                .params(project.value(), id)
                .query(this::map)
                .optional();
    }

    List<Gift> list(ProjectId project, @Nullable String type, @Nullable Boolean active, Paging paging) {
        var where = new SqlFilters().where("type", type).where("active", active);
        return where.bind(paging.select(jdbc, COLUMNS, "gifts.gifts", project, where.sql(), false))
                .query(this::map)
                .list();
    }

    long count(ProjectId project, @Nullable String type, @Nullable Boolean active) {
        var where = new SqlFilters().where("type", type).where("active", active);
        return where.bind(Paging.count(jdbc, "gifts.gifts", project, where.sql()))
                .query(Long.class)
                .single();
    }

    private Map<String, Object> params(ProjectId project, Gift gift) {
        var params = new LinkedHashMap<String, Object>();
        params.put("id", gift.id());
        params.put("project", project.value());
        params.put("name", gift.name());
        params.put("type", gift.type().name());
        params.put("cost", gift.cost());
        params.put("shipping", gift.shippingCost());
        params.put("currency", gift.currency());
        params.put("faceValue", gift.faceValue());
        params.put("sku", gift.sku());
        params.put("shipsTo", "{" + String.join(",", gift.shipsTo()) + "}");
        params.put("provider", gift.provider());
        params.put("actionId", gift.actionId());
        params.put("providerRef", gift.providerRef());
        params.put("active", gift.active());
        params.put("imageUrl", gift.imageUrl());
        params.put("description", gift.description());
        params.put("metadata", json.writeValueAsString(gift.metadata()));
        params.put("created", Timestamp.from(gift.createdAt()));
        params.put("updated", Timestamp.from(gift.updatedAt()));
        return params;
    }

    private Gift map(ResultSet rs, int row) throws SQLException {
        return new Gift(
                rs.getString("id"),
                rs.getString("name"),
                Gift.Type.valueOf(rs.getString("type")),
                rs.getLong("cost"),
                rs.getLong("shipping_cost"),
                rs.getString("currency"),
                rs.getObject("face_value", Long.class),
                rs.getString("sku"),
                Arrays.asList((String[]) rs.getArray("ships_to").getArray()),
                rs.getString("provider"),
                rs.getString("action_id"),
                rs.getString("provider_ref"),
                rs.getBoolean("active"),
                rs.getString("image_url"),
                rs.getString("description"),
                json.readValue(rs.getString("metadata"), new TypeReference<Map<String, Object>>() {}),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
