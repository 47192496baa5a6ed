package io.bestow.budgets;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One ledger entry: {@code amount} moved from one account to another ({@code funding}, the world outside, or the
 * wallet's {@code available}, {@code held} and {@code spent}), with the wallet's balances right after it and what
 * caused it.
 */
public record LedgerEntry(
        String id,
        String budgetId,
        String type,
        String from,
        String to,
        long amount,
        @Nullable String sendId,
        long availableAfter,
        long heldAfter,
        long spentAfter,
        String actor,
        @Nullable String memo,
        Instant createdAt) {

    public static final String TOP_UP = "top_up";
    public static final String HOLD = "hold";
    public static final String CAPTURE = "capture";
    public static final String RELEASE = "release";
    public static final String REFUND = "refund";
    public static final String ADJUSTMENT = "adjustment";

    @JsonProperty("object")
    public String object() {
        return "ledger_entry";
    }
}
