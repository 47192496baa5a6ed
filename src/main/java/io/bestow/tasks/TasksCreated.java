package io.bestow.tasks;

import io.bestow.shared.EventBatch;
import java.util.List;

/** Many tasks created at once (by a program step for a batch of participants): one outbox entry for all. */
public record TasksCreated(List<TaskCreated> events) implements EventBatch {}
