package io.bestow.gifts;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.bestow.shared.SqlFilters;
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

/** The sends table, with each send's transitions and the provider events already applied to it. */
@Repository
class Sends {

    private static final String COLUMNS = "id, status, gift_id, gift_type, customer_id, sender_id, budget_id, campaign,"
            + " message, confirm_address, address::text AS address, cost, currency, funds, provider, origin,"
            + " provider_reference, dispatched_at, dispatch_error, expires_at, metadata::text AS metadata, created_at,"
            + " updated_at";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    Sends(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Inserts a new send and its first transition in one statement: due to be handed to its provider at
     * {@code dispatchAt}, or already handed over at {@code dispatchedAt} (both null while it is pending).
     */
    void insert(
            ProjectId project,
            Send send,
            @Nullable Instant dispatchAt,
            @Nullable Instant dispatchedAt,
            Transition first) {
        var params = params(project, send);
        params.put("dispatchAt", SqlTimes.timestamp(dispatchAt));
        params.put("dispatchedAt", SqlTimes.timestamp(dispatchedAt));
        params.put("transition", first.id());
        params.put("actor", first.actor());
        jdbc.sql("""
                        WITH sent AS (
                            INSERT INTO gifts.sends (id, project_id, gift_id, gift_type, customer_id, sender_id,
                                budget_id, campaign, message, confirm_address, address, status, cost, currency, funds,
                                provider, origin, provider_reference, dispatch_at, dispatched_at, expires_at, metadata,
                                created_at, updated_at)
                            VALUES (:id, :project, :gift, :giftType, :customer, :sender, :budget, :campaign, :message,
                                :confirmAddress, CAST(:address AS jsonb), :status, :cost, :currency, :funds, :provider,
                                :origin, :providerReference, :dispatchAt, :dispatchedAt, :expires,
                                CAST(:metadata AS jsonb), :created, :updated)
                            RETURNING id)
                        INSERT INTO gifts.transitions (id, project_id, send_id, from_status, to_status, actor,
                            created_at)
                        SELECT :transition, :project, id, NULL, :status, :actor, :updated FROM sent
                        """).params(params).update();
    }

    /**
     * Saves a new status, its money and what a status change may bring along (an address, a provider reference). A
     * send that is done needs no hand-over any more; one that was just approved is due for it now.
     */
    void update(ProjectId project, Send send) {
        var params = params(project, send);
        params.put("done", send.status().terminal());
        params.put("approved", send.status() == SendStatus.APPROVED);
        jdbc.sql("""
                        UPDATE gifts.sends SET status = :status, funds = :funds, address = CAST(:address AS jsonb),
                            provider_reference = :providerReference, expires_at = :expires, updated_at = :updated,
                            dispatch_at = CASE WHEN :done THEN NULL WHEN :approved THEN :updated ELSE dispatch_at END
                        WHERE project_id = :project AND id = :id
                        """).params(params).update();
    }

    void insertTransition(ProjectId project, Transition transition) {
        jdbc.sql("""
                        INSERT INTO gifts.transitions (id, project_id, send_id, from_status, to_status, actor,
                            provider_event_id, reason, details, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?)
                        """)
                .params(
                        transition.id(),
                        project.value(),
                        transition.sendId(),
                        transition.from() == null ? null : transition.from().value(),
                        transition.to().value(),
                        transition.actor(),
                        transition.providerEventId(),
                        transition.reason(),
                        json.writeValueAsString(transition.details()),
                        Timestamp.from(transition.createdAt()))
                .update();
    }

    /** Notes a provider's event as applied; false when it already was. */
    boolean firstDelivery(ProjectId project, String sendId, String providerEventId, SendStatus status, Instant now) {
        return jdbc.sql("""
                        INSERT INTO gifts.provider_events (project_id, send_id, provider_event_id, status, received_at)
                        VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                        """)
                        .params(project.value(), sendId, providerEventId, status.value(), Timestamp.from(now))
                        .update()
                > 0;
    }

    Optional<Send> find(ProjectId project, String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM gifts.sends WHERE project_id = ? AND id = ?")
                .params(project.value(), id)
                .query(this::map)
                .optional();
    }

    /** The send, its row locked until the transaction ends: status changes of one send happen one at a time. */
    Optional<Send> lock(ProjectId project, String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM gifts.sends WHERE project_id = ? AND id = ? FOR UPDATE")
                .params(project.value(), id)
                .query(this::map)
                .optional();
    }

    /**
     * Takes a send's hand-over if it is due: moves it a lease ahead (another node retries after that, should this one
     * die) and counts the attempt. Empty when it is not due (done, or taken by another node).
     */
    Optional<Taken> takeDispatch(ProjectId project, String id, Instant now, Instant leaseUntil) {
        return jdbc.sql("UPDATE gifts.sends SET dispatch_at = ?, dispatch_attempts = dispatch_attempts + 1"
                        + " WHERE project_id = ? AND id = ? AND dispatch_at <= ? RETURNING " + COLUMNS
                        + ", dispatch_attempts")
                .params(Timestamp.from(leaseUntil), project.value(), id, Timestamp.from(now))
                .query((rs, n) -> new Taken(map(rs, n), rs.getInt("dispatch_attempts")))
                .optional();
    }

    /** A send whose hand-over this node took, and how many attempts that makes. */
    record Taken(Send send, int attempts) {}

    void dispatched(ProjectId project, String id, @Nullable String providerReference, Instant now) {
        jdbc.sql("""
                        UPDATE gifts.sends SET dispatched_at = ?, dispatch_at = NULL, dispatch_error = NULL,
                            provider_reference = coalesce(?, provider_reference), updated_at = ?
                        WHERE project_id = ? AND id = ?
                        """)
                .params(Timestamp.from(now), providerReference, Timestamp.from(now), project.value(), id)
                .update();
    }

    /** Notes a failed hand-over; it is retried at {@code retryAt}, or never when that is null. */
    void dispatchFailed(ProjectId project, String id, String error, @Nullable Instant retryAt) {
        jdbc.sql("UPDATE gifts.sends SET dispatch_error = ?, dispatch_at = ? WHERE project_id = ? AND id = ?")
                .params(error, SqlTimes.timestamp(retryAt), project.value(), id)
                .update();
    }

    /** Sends whose hand-over is due (new, to retry, or left by a node that died): project id and send id. */
    List<Map.Entry<String, String>> dueDispatches(Instant now, int limit) {
        return jdbc.sql("""
                        SELECT project_id, id FROM gifts.sends WHERE dispatch_at <= ? ORDER BY dispatch_at LIMIT ?
                        """)
                .params(Timestamp.from(now), limit)
                .query((rs, n) -> Map.entry(rs.getString("project_id"), rs.getString("id")))
                .list();
    }

    /**
     * The sandbox provider's dispatched sends that last moved before {@code before} and can move on without their
     * recipient (a gift link's recipient clicks, claims and confirms the address on the claim pages).
     */
    List<Map.Entry<String, String>> sandboxDue(Instant before, int limit) {
        return jdbc.sql("""
                        SELECT project_id, id FROM gifts.sends
                        WHERE provider = 'sandbox' AND dispatched_at IS NOT NULL
                            AND (status IN ('address_confirmed', 'processed', 'shipped')
                                 OR (origin = 'api' AND status IN ('created', 'approved', 'clicked')))
                            AND updated_at <= ?
                        ORDER BY updated_at LIMIT ?
                        """)
                .params(Timestamp.from(before), limit)
                .query((rs, n) -> Map.entry(rs.getString("project_id"), rs.getString("id")))
                .list();
    }

    /** Sends whose claim time ran out, locked (skipping any another node is handling): project id and send id. */
    List<Map.Entry<String, String>> lockExpired(Instant now, int limit) {
        return jdbc.sql("""
                        SELECT project_id, id FROM gifts.sends
                        WHERE status IN ('created', 'approved', 'clicked') AND expires_at IS NOT NULL
                            AND expires_at <= ?
                        ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED
                        """)
                .params(Timestamp.from(now), limit)
                .query((rs, n) -> Map.entry(rs.getString("project_id"), rs.getString("id")))
                .list();
    }

    Map<String, Long> moneyOf(ProjectId project, List<String> ids) {
        var money = new LinkedHashMap<String, Long>();
        jdbc.sql(
                        "SELECT funds, sum(cost) AS amount FROM gifts.sends WHERE project_id = ? AND id = ANY(?) GROUP BY funds")
                .params(project.value(), ids.toArray(String[]::new))
                .query(rs -> {
                    money.put(rs.getString("funds"), rs.getLong("amount"));
                });
        return money;
    }

    List<Transition> transitions(ProjectId project, String sendId) {
        return jdbc.sql("""
                        SELECT id, send_id, from_status, to_status, actor, provider_event_id, reason,
                            details::text AS details, created_at
                        FROM gifts.transitions WHERE project_id = ? AND send_id = ? ORDER BY created_at, id
                        """)
                .params(project.value(), sendId)
                .query((rs, n) -> new Transition(
                        rs.getString("id"),
                        rs.getString("send_id"),
                        rs.getString("from_status") == null
                                ? null
                                : SendStatus.parse(rs.getString("from_status")).orElseThrow(),
                        SendStatus.parse(rs.getString("to_status")).orElseThrow(),
                        rs.getString("actor"),
                        rs.getString("provider_event_id"),
                        rs.getString("reason"),
                        json.readValue(rs.getString("details"), new TypeReference<Map<String, Object>>() {}),
                        rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    List<Send> list(ProjectId project, SendQuery query, Paging paging) {
        var where = where(query);
        return where.bind(paging.select(jdbc, COLUMNS, "gifts.sends", project, where.sql(), true))
                .query(this::map)
                .list();
    }

    long count(ProjectId project, SendQuery query) {
        var where = where(query);
        return where.bind(Paging.count(jdbc, "gifts.sends", project, where.sql()))
                .query(Long.class)
                .single();
    }

    private static SqlFilters where(SendQuery query) {
        return new SqlFilters()
                .where("status", query.status())
                .where("gift_id", query.giftId())
                .where("budget_id", query.budgetId())
                .where("customer_id", query.customerId())
                .where("sender_id", query.senderId())
                .where("campaign", query.campaign());
    }

    private Map<String, Object> params(ProjectId project, Send send) {
        var params = new LinkedHashMap<String, Object>();
        params.put("id", send.id());
        params.put("project", project.value());
        params.put("gift", send.giftId());
        params.put("giftType", send.giftType().name());
        params.put("customer", send.customerId());
        params.put("sender", send.senderId());
        params.put("budget", send.budgetId());
        params.put("campaign", send.campaign());
        params.put("message", send.message());
        params.put("confirmAddress", send.confirmAddress());
        params.put("address", send.address() == null ? null : json.writeValueAsString(send.address()));
        params.put("status", send.status().value());
        params.put("cost", send.cost());
        params.put("currency", send.currency());
        params.put("funds", send.funds());
        params.put("provider", send.provider());
        params.put("origin", send.origin());
        params.put("providerReference", send.providerReference());
        params.put("expires", SqlTimes.timestamp(send.expiresAt()));
        params.put("metadata", json.writeValueAsString(send.metadata()));
        params.put("created", Timestamp.from(send.createdAt()));
        params.put("updated", Timestamp.from(send.updatedAt()));
        return params;
    }

    private Send map(ResultSet rs, int row) throws SQLException {
        var address = rs.getString("address");
        return new Send(
                rs.getString("id"),
                SendStatus.parse(rs.getString("status")).orElseThrow(),
                rs.getString("gift_id"),
                Gift.Type.valueOf(rs.getString("gift_type")),
                rs.getString("customer_id"),
                rs.getString("sender_id"),
                rs.getString("budget_id"),
                rs.getString("campaign"),
                rs.getString("message"),
                rs.getBoolean("confirm_address"),
                address == null ? null : json.readValue(address, new TypeReference<Map<String, Object>>() {}),
                rs.getLong("cost"),
                rs.getString("currency"),
                rs.getString("funds"),
                rs.getString("provider"),
                rs.getString("origin"),
                rs.getString("provider_reference"),
                SqlTimes.instant(rs.getTimestamp("dispatched_at")),
                rs.getString("dispatch_error"),
                SqlTimes.instant(rs.getTimestamp("expires_at")),
                json.readValue(rs.getString("metadata"), new TypeReference<Map<String, Object>>() {}),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
