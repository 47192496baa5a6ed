package io.bestow.journeys;

import io.bestow.shared.EventBatch;
import io.bestow.shared.ProjectEvent;
import java.util.List;

/** The entries and endings of a batch of participants, as one outbox entry. */
public record ParticipantsChanged(List<ProjectEvent> events) implements EventBatch {}
