package io.bestow.shared;

import java.util.List;

/**
 * Many events published as one, by bulk jobs such as a CSV import: one outbox entry per batch instead of one per
 * row. Listeners that care about single events (the event stream) expand it.
 */
public interface EventBatch {

    List<? extends ProjectEvent> events();
}
