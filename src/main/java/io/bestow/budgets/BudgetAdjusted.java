package io.bestow.budgets;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** An admin corrected a budget's available money, up or down; the data is the ledger entry. */
public record BudgetAdjusted(EventMeta meta, LedgerEntry entry) implements ProjectEvent {

    @Override
    public String type() {
        return "budget.adjusted";
    }

    @Override
    public Object object() {
        return entry;
    }
}
