package io.bestow.shared;

import java.time.Clock;
import java.time.Instant;

/** The envelope fields of an event, fixed when it is published so that a re-dispatch carries the same id. */
public record EventMeta(String id, ProjectId projectId, Instant createdAt, String source) {

    /** Metadata for an event happening now, caused by the current actor (or the system when there is none). */
    public static EventMeta of(ProjectId projectId, Clock clock) {
        var source = Actor.current().map(Actor::source).orElse("SYSTEM");
        return new EventMeta(Ids.generate("evt"), projectId, clock.instant(), source);
    }
}
