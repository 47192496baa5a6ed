package io.bestow.budgets;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** A budget's available money fell below its low-balance threshold; emitted once per dip. */
public record BudgetLow(EventMeta meta, Budget budget) implements ProjectEvent {

    @Override
    public String type() {
        return "budget.low";
    }

    @Override
    public Object object() {
        return budget;
    }
}
