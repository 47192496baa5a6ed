package io.bestow.journeys;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** A customer entered a program. */
public record ParticipantEntered(EventMeta meta, Participant participant) implements ProjectEvent {

    @Override
    public String type() {
        return "program.participant.entered";
    }

    @Override
    public Object object() {
        return participant;
    }
}
