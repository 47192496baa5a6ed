package io.bestow.customers;

import io.bestow.shared.EventBatch;
import io.bestow.shared.ProjectEvent;
import java.util.ArrayList;
import java.util.List;

/** One batch of a CSV import: the customers it created and changed, and who entered or left segments. */
public record CustomersImported(
        List<CustomerCreated> created,
        List<CustomerUpdated> updated,
        List<CustomerSegmentEntered> entered,
        List<CustomerSegmentLeft> left)
        implements EventBatch {

    @Override
    public List<? extends ProjectEvent> events() {
        var all = new ArrayList<ProjectEvent>(created.size() + updated.size() + entered.size() + left.size());
        all.addAll(created);
        all.addAll(updated);
        all.addAll(entered);
        all.addAll(left);
        return all;
    }
}
