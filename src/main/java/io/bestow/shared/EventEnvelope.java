package io.bestow.shared;

import java.time.Instant;
import java.util.Map;

/**
 * How an event looks to the outside world (webhooks, the event feed): {@code {"id": "evt_…", "object": "event",
 * "project_id", "created_at", "type", "data": {"object": …}, "metadata": {"source": …}}}.
 */
public record EventEnvelope(
        String id,
        String object,
        ProjectId projectId,
        Instant createdAt,
        String type,
        Map<String, Object> data,
        Map<String, Object> metadata) {

    public static EventEnvelope of(ProjectEvent event) {
        var meta = event.meta();
        return new EventEnvelope(
                meta.id(),
                "event",
                meta.projectId(),
                meta.createdAt(),
                event.type(),
                Map.of("object", event.object()),
                Map.of("source", meta.source()));
    }
}
