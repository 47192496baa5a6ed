package io.bestow.journeys;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** A participant completed its program, failed in it, or left it when the program was stopped. */
public record ParticipantFinished(EventMeta meta, Participant participant) implements ProjectEvent {

    @Override
    public String type() {
        return "program.participant." + participant.status();
    }

    @Override
    public Object object() {
        return participant;
    }
}
