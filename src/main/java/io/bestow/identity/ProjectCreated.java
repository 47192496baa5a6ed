package io.bestow.identity;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** Published as {@code project.created}. */
public record ProjectCreated(EventMeta meta, Project project) implements ProjectEvent {

    @Override
    public String type() {
        return "project.created";
    }

    @Override
    public Object object() {
        return project;
    }
}
