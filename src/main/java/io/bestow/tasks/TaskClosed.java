package io.bestow.tasks;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** A task was marked done or cancelled. */
public record TaskClosed(EventMeta meta, Task task) implements ProjectEvent {

    @Override
    public String type() {
        return "task." + task.status();
    }

    @Override
    public Object object() {
        return task;
    }
}
