package io.bestow.budgets;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** A budget's name, caps, thresholds or metadata changed. */
public record BudgetUpdated(EventMeta meta, Budget budget) implements ProjectEvent {

    @Override
    public String type() {
        return "budget.updated";
    }

    @Override
    public Object object() {
        return budget;
    }
}
