package io.bestow.budgets;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** A budget ran out: its available money reached zero or could not fund a send; emitted once until money comes back. */
public record BudgetExhausted(EventMeta meta, Budget budget) implements ProjectEvent {

    @Override
    public String type() {
        return "budget.exhausted";
    }

    @Override
    public Object object() {
        return budget;
    }
}
