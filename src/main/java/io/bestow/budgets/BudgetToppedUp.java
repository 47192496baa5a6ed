package io.bestow.budgets;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** Money was added to a budget by a top-up; the data is the ledger entry. */
public record BudgetToppedUp(EventMeta meta, LedgerEntry entry) implements ProjectEvent {

    @Override
    public String type() {
        return "budget.topped_up";
    }

    @Override
    public Object object() {
        return entry;
    }
}
