package io.bestow.budgets;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** A budget was created. */
public record BudgetCreated(EventMeta meta, Budget budget) implements ProjectEvent {

    @Override
    public String type() {
        return "budget.created";
    }

    @Override
    public Object object() {
        return budget;
    }
}
