package io.bestow.journeys;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** A program was created, updated, published, paused, resumed, stopped or deleted ({@code program.<change>}). */
public record ProgramChanged(EventMeta meta, Program program, String change) implements ProjectEvent {

    @Override
    public String type() {
        return "program." + change;
    }

    @Override
    public Object object() {
        return program;
    }
}
