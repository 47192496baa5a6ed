package io.bestow.shared;

import java.util.List;

/**
 * A few events published as one by a transaction that changes many things at once (a batch of program participants,
 * the tasks they create): the event stream appends them inside that transaction with one statement, as it does a
 * single event, so they are in the stream exactly when the changes they report are committed. Bulk jobs that publish
 * thousands at a time use an {@link EventBatch}, which reaches the stream through the outbox after the commit.
 */
public interface EventGroup {

    List<? extends ProjectEvent> events();
}
