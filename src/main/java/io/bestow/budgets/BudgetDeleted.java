package io.bestow.budgets;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** An empty budget was deleted. */
public record BudgetDeleted(EventMeta meta, Budget budget) implements ProjectEvent {

    @Override
    public String type() {
        return "budget.deleted";
    }

    @Override
    public Object object() {
        return budget;
    }
}
