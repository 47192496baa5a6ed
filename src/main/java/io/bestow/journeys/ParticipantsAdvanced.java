package io.bestow.journeys;

import io.bestow.shared.EventGroup;
import io.bestow.shared.ProjectEvent;
import java.util.List;

/** What a batch of participants did in one write back (entered, finished), appended to the event stream together. */
public record ParticipantsAdvanced(List<ProjectEvent> events) implements EventGroup {}
