package io.bestow.journeys;

import io.bestow.shared.EventBatch;
import io.bestow.shared.ProjectEvent;
import java.util.List;

/** The entries or endings of many participants at once (an enrollment, a stop), as one outbox entry. */
public record ParticipantsChanged(List<ProjectEvent> events) implements EventBatch {}
