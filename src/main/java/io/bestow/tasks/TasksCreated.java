package io.bestow.tasks;

import io.bestow.shared.EventGroup;
import java.util.List;

/** Many tasks created at once (by a program step for a batch of participants), appended to the stream together. */
public record TasksCreated(List<TaskCreated> events) implements EventGroup {}
