package io.bestow.tasks;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** A task was created. */
public record TaskCreated(EventMeta meta, Task task) implements ProjectEvent {

    @Override
    public String type() {
        return "task.created";
    }

    @Override
    public Object object() {
        return task;
    }
}
