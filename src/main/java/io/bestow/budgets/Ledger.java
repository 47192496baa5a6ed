package io.bestow.budgets;

import io.bestow.shared.Actor;
import io.bestow.shared.Ids;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The ledger's writes and reads. Each movement is one statement that changes the wallet's balances and appends its
 * entry together, so the wallet row is locked for as short a time as possible; the {@code available >= amount}
 * conditions and the wallets' check constraints keep every balance at zero or above under any concurrency.
 */
@Repository
class Ledger {

    static final String FUNDING = "funding";
    static final String AVAILABLE = "available";
    static final String HELD = "held";
    static final String SPENT = "spent";

    private static final String ENTRY_COLUMNS = "id, wallet_id, type, from_account, to_account, amount, reference_id,"
            + " available_after, held_after, spent_after, actor, memo, created_at";

    private static final String INSERT_ENTRY = """
            INSERT INTO budgets.entries (id, project_id, wallet_id, type, from_account, to_account, amount,
                reference_type, reference_id, available_after, held_after, spent_after, actor, memo, created_at)
            """;

    private final JdbcClient jdbc;

    Ledger(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Moves money between the outside world and a wallet's available account (a top-up or an adjustment).
     *
     * @param amount positive: into the wallet; negative: out of it, only if that much is available
     * @return the entry, or empty when the wallet has less available than a negative amount takes out
     */
    Optional<LedgerEntry> post(
            ProjectId project, String walletId, String type, long amount, @Nullable String memo, Instant now) {
        long in = Math.max(amount, 0);
        long out = Math.max(-amount, 0);
        return jdbc.sql("WITH wallet AS (" + """
                        UPDATE budgets.wallets SET available = available + :in - :out,
                            exhausted_since = CASE WHEN :in > 0 THEN NULL ELSE exhausted_since END,
                            low_since = CASE WHEN low_balance_threshold IS NULL
                                OR available + :in - :out >= low_balance_threshold THEN NULL ELSE low_since END,
                            updated_at = :now
                        WHERE project_id = :project AND id = :wallet AND available >= :out
                        RETURNING id, available, held, spent)
                        """ + INSERT_ENTRY + """
                        SELECT :entry, :project, id, :type, :from, :to, :amount, NULL, NULL, available, held, spent,
                            :actor, :memo, :now FROM wallet
                        RETURNING
                        """ + ENTRY_COLUMNS)
                .param("in", in)
                .param("out", out)
                .param("now", Timestamp.from(now))
                .param("project", project.value())
                .param("wallet", walletId)
                .param("entry", Ids.generate("le"))
                .param("type", type)
                .param("from", amount >= 0 ? FUNDING : AVAILABLE)
                .param("to", amount >= 0 ? AVAILABLE : FUNDING)
                .param("amount", Math.abs(amount))
                .param("actor", Actor.currentLabel())
                .param("memo", memo)
                .query(Ledger::entry)
                .optional();
    }

    /** The wallet's balances and notice flags right after a hold. */
    record Held(LedgerEntry entry, @Nullable Long lowBalanceThreshold, boolean lowNoticed, boolean exhaustedNoticed) {}

    /**
     * Holds money for a reference (a send): available to held, if that much is available.
     *
     * @return the hold's entry, or empty when the wallet has too little available
     */
    Optional<Held> hold(
            ProjectId project,
            String walletId,
            String reference,
            long amount,
            @Nullable String recipient,
            Instant now) {
        return jdbc.sql("WITH wallet AS (" + """
                        UPDATE budgets.wallets SET available = available - :amount, held = held + :amount,
                            updated_at = :now
                        WHERE project_id = :project AND id = :wallet AND available >= :amount
                        RETURNING id, available, held, spent, low_balance_threshold, low_since, exhausted_since),
                        hold AS (
                            INSERT INTO budgets.holds (project_id, reference_id, wallet_id, amount, recipient,
                                spend_year, status, created_at, updated_at)
                            SELECT :project, :reference, id, :amount, :recipient, :year, 'held', :now, :now FROM wallet),
                        entry AS (
                        """ + INSERT_ENTRY + """
                            SELECT :entry, :project, id, 'hold', 'available', 'held', :amount, 'send', :reference,
                                available, held, spent, :actor, NULL, :now FROM wallet)
                        SELECT :entry AS id, id AS wallet_id, 'hold' AS type, 'available' AS from_account,
                            'held' AS to_account, CAST(:amount AS bigint) AS amount, :reference AS reference_id,
                            available AS available_after, held AS held_after, spent AS spent_after, :actor AS actor,
                            CAST(NULL AS text) AS memo, CAST(:now AS timestamptz) AS created_at,
                            low_balance_threshold, low_since IS NOT NULL AS low_noticed,
                            exhausted_since IS NOT NULL AS exhausted_noticed
                        FROM wallet
                        """)
                .param("amount", amount)
                .param("now", Timestamp.from(now))
                .param("project", project.value())
                .param("wallet", walletId)
                .param("reference", reference)
                .param("recipient", recipient)
                .param("year", now.atZone(ZoneOffset.UTC).getYear())
                .param("entry", Ids.generate("le"))
                .param("actor", Actor.currentLabel())
                .query((rs, n) -> new Held(
                        entry(rs, n),
                        rs.getObject("low_balance_threshold", Long.class),
                        rs.getBoolean("low_noticed"),
                        rs.getBoolean("exhausted_noticed")))
                .optional();
    }

    /**
     * Counts a hold toward what its recipient got from the wallet this year; false (and nothing written) when that
     * would pass the cap.
     */
    boolean addRecipientSpend(String walletId, String recipient, long amount, long cap, Instant now) {
        return jdbc.sql("""
                        INSERT INTO budgets.recipient_spend AS s (wallet_id, recipient, spend_year, amount)
                        SELECT :wallet, :recipient, :year, :amount WHERE :amount <= :cap
                        ON CONFLICT (wallet_id, recipient, spend_year)
                        DO UPDATE SET amount = s.amount + EXCLUDED.amount WHERE s.amount + EXCLUDED.amount <= :cap
                        RETURNING amount
                        """)
                .param("wallet", walletId)
                .param("recipient", recipient)
                .param("year", now.atZone(ZoneOffset.UTC).getYear())
                .param("amount", amount)
                .param("cap", cap)
                .query(Long.class)
                .optional()
                .isPresent();
    }

    /** What a recipient has been given from the wallet in the calendar year (UTC) of {@code now}. */
    long recipientSpend(String walletId, String recipient, Instant now) {
        return jdbc.sql(
                        "SELECT coalesce(sum(amount), 0) FROM budgets.recipient_spend WHERE wallet_id = ? AND recipient = ? AND spend_year = ?")
                .params(walletId, recipient, now.atZone(ZoneOffset.UTC).getYear())
                .query(Long.class)
                .single();
    }

    /**
     * Moves a reference's held or captured money on: a capture (held to spent), a release (held to available) or a
     * refund (spent to available). Only a hold in {@code fromStatus} moves, so a repeated call does nothing.
     *
     * @return the entry, or empty when the hold is not (or no longer) in {@code fromStatus}
     */
    Optional<LedgerEntry> settle(
            ProjectId project,
            String reference,
            String fromStatus,
            String toStatus,
            String type,
            String from,
            String to,
            Instant now) {
        boolean returned = AVAILABLE.equals(to);
        return jdbc.sql("WITH hold AS (" + """
                            UPDATE budgets.holds SET status = :toStatus, updated_at = :now
                            WHERE project_id = :project AND reference_id = :reference AND status = :fromStatus
                            RETURNING wallet_id, amount, recipient, spend_year),
                        wallet AS (
                            UPDATE budgets.wallets w SET
                                available = w.available + CASE WHEN :to = 'available' THEN hold.amount ELSE 0 END
                                    - CASE WHEN :from = 'available' THEN hold.amount ELSE 0 END,
                                held = w.held + CASE WHEN :to = 'held' THEN hold.amount ELSE 0 END
                                    - CASE WHEN :from = 'held' THEN hold.amount ELSE 0 END,
                                spent = w.spent + CASE WHEN :to = 'spent' THEN hold.amount ELSE 0 END
                                    - CASE WHEN :from = 'spent' THEN hold.amount ELSE 0 END,
                                exhausted_since = CASE WHEN :returned THEN NULL ELSE w.exhausted_since END,
                                low_since = CASE WHEN :returned AND (w.low_balance_threshold IS NULL
                                    OR w.available + hold.amount >= w.low_balance_threshold) THEN NULL
                                    ELSE w.low_since END,
                                updated_at = :now
                            FROM hold WHERE w.id = hold.wallet_id
                            RETURNING w.id, w.available, w.held, w.spent, hold.amount),
                        spend AS (
                            UPDATE budgets.recipient_spend s SET amount = s.amount - hold.amount FROM hold
                            WHERE :returned AND s.wallet_id = hold.wallet_id AND s.recipient = hold.recipient
                                AND s.spend_year = hold.spend_year)
                        """ + INSERT_ENTRY + """
                        SELECT :entry, :project, id, :type, :from, :to, amount, 'send', :reference, available, held,
                            spent, :actor, NULL, :now FROM wallet
                        RETURNING
                        """ + ENTRY_COLUMNS)
                .param("toStatus", toStatus)
                .param("fromStatus", fromStatus)
                .param("now", Timestamp.from(now))
                .param("project", project.value())
                .param("reference", reference)
                .param("to", to)
                .param("from", from)
                .param("returned", returned)
                .param("entry", Ids.generate("le"))
                .param("type", type)
                .param("actor", Actor.currentLabel())
                .query(Ledger::entry)
                .optional();
    }

    /** Marks the wallet as low, once per dip below its threshold; the wallet's columns when this call marked it. */
    Optional<String> noticeLow(ProjectId project, String walletId, Instant now) {
        return jdbc.sql("""
                        UPDATE budgets.wallets SET low_since = ?
                        WHERE project_id = ? AND id = ? AND low_since IS NULL AND available < low_balance_threshold
                        RETURNING id
                        """)
                .params(Timestamp.from(now), project.value(), walletId)
                .query(String.class)
                .optional();
    }

    /** Marks the wallet as exhausted, once until money comes back; its id when this call marked it. */
    Optional<String> noticeExhausted(ProjectId project, String walletId, Instant now) {
        return jdbc.sql("""
                        UPDATE budgets.wallets SET exhausted_since = ?
                        WHERE project_id = ? AND id = ? AND exhausted_since IS NULL RETURNING id
                        """)
                .params(Timestamp.from(now), project.value(), walletId)
                .query(String.class)
                .optional();
    }

    /** The wallet's entries, newest first, optionally of one type. */
    List<LedgerEntry> entries(ProjectId project, String walletId, @Nullable String type, Paging paging) {
        var statement = paging.select(
                        jdbc,
                        ENTRY_COLUMNS,
                        "budgets.entries",
                        project,
                        "AND wallet_id = :wallet" + (type == null ? "" : " AND type = :type"),
                        true)
                .param("wallet", walletId);
        if (type != null) {
            statement = statement.param("type", type);
        }
        return statement.query(Ledger::entry).list();
    }

    long countEntries(ProjectId project, String walletId, @Nullable String type) {
        var statement = Paging.count(
                        jdbc,
                        "budgets.entries",
                        project,
                        "AND wallet_id = :wallet" + (type == null ? "" : " AND type = :type"))
                .param("wallet", walletId);
        if (type != null) {
            statement = statement.param("type", type);
        }
        return statement.query(Long.class).single();
    }

    /** The entries caused by one reference (a send), oldest first. */
    List<LedgerEntry> entriesFor(ProjectId project, String reference) {
        return jdbc.sql("SELECT " + ENTRY_COLUMNS
                        + " FROM budgets.entries WHERE project_id = ? AND reference_id = ? ORDER BY created_at, id")
                .params(project.value(), reference)
                .query(Ledger::entry)
                .list();
    }

    /**
     * Checks every wallet of the project (or one): its balances must equal the sums of its entries per account, its
     * held money the open holds and its spent money the captured ones.
     *
     * @return one line per wallet and account that disagree
     */
    List<Map<String, Object>> violations(ProjectId project, @Nullable String walletId) {
        var violations = new ArrayList<Map<String, Object>>();
        jdbc.sql("""
                        SELECT w.id, w.available, w.held, w.spent,
                            coalesce(e.available, 0) AS ledger_available, coalesce(e.held, 0) AS ledger_held,
                            coalesce(e.spent, 0) AS ledger_spent,
                            coalesce(h.held, 0) AS holds_held, coalesce(h.captured, 0) AS holds_captured
                        FROM budgets.wallets w
                        LEFT JOIN (
                            SELECT wallet_id,
                                sum(CASE WHEN to_account = 'available' THEN amount ELSE 0 END)
                                    - sum(CASE WHEN from_account = 'available' THEN amount ELSE 0 END) AS available,
                                sum(CASE WHEN to_account = 'held' THEN amount ELSE 0 END)
                                    - sum(CASE WHEN from_account = 'held' THEN amount ELSE 0 END) AS held,
                                sum(CASE WHEN to_account = 'spent' THEN amount ELSE 0 END)
                                    - sum(CASE WHEN from_account = 'spent' THEN amount ELSE 0 END) AS spent
                            FROM budgets.entries WHERE project_id = :project GROUP BY wallet_id) e ON e.wallet_id = w.id
                        LEFT JOIN (
                            SELECT wallet_id,
                                sum(CASE WHEN status = 'held' THEN amount ELSE 0 END) AS held,
                                sum(CASE WHEN status = 'captured' THEN amount ELSE 0 END) AS captured
                            FROM budgets.holds WHERE project_id = :project GROUP BY wallet_id) h ON h.wallet_id = w.id
                        WHERE w.project_id = :project AND (CAST(:wallet AS text) IS NULL OR w.id = :wallet)
                        ORDER BY w.created_at, w.id
                        """)
                .param("project", project.value())
                .param("wallet", walletId)
                .query(rs -> {
                    var id = rs.getString("id");
                    check(
                            violations,
                            id,
                            "available",
                            rs.getLong("available"),
                            "ledger",
                            rs.getLong("ledger_available"));
                    check(violations, id, "held", rs.getLong("held"), "ledger", rs.getLong("ledger_held"));
                    check(violations, id, "spent", rs.getLong("spent"), "ledger", rs.getLong("ledger_spent"));
                    check(violations, id, "held", rs.getLong("held"), "open holds", rs.getLong("holds_held"));
                    check(violations, id, "spent", rs.getLong("spent"), "captured holds", rs.getLong("holds_captured"));
                });
        return violations;
    }

    long countWallets(ProjectId project, @Nullable String walletId) {
        return jdbc.sql(
                        "SELECT count(*) FROM budgets.wallets WHERE project_id = ? AND (CAST(? AS text) IS NULL OR id = ?)")
                .params(project.value(), walletId, walletId)
                .query(Long.class)
                .single();
    }

    private static void check(
            List<Map<String, Object>> violations,
            String walletId,
            String account,
            long balance,
            String source,
            long expected) {
        if (balance != expected) {
            var violation = new LinkedHashMap<String, Object>();
            violation.put("budget_id", walletId);
            violation.put("account", account);
            violation.put("balance", balance);
            violation.put("expected", expected);
            violation.put("according_to", source);
            violations.add(violation);
        }
    }

    private static LedgerEntry entry(ResultSet rs, int row) throws SQLException {
        return new LedgerEntry(
                rs.getString("id"),
                rs.getString("wallet_id"),
                rs.getString("type"),
                rs.getString("from_account"),
                rs.getString("to_account"),
                rs.getLong("amount"),
                rs.getString("reference_id"),
                rs.getLong("available_after"),
                rs.getLong("held_after"),
                rs.getLong("spent_after"),
                rs.getString("actor"),
                rs.getString("memo"),
                rs.getTimestamp("created_at").toInstant());
    }
}
