package io.bestow.webhooks;

import io.bestow.shared.EventEnvelope;
import io.bestow.shared.Expressions;
import io.bestow.shared.Ids;
import io.bestow.shared.ProjectId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Java side of fan-out: asks the CEL filters of the endpoints that have one, queues the deliveries they let
 * through, and wakes this node's sender once the transaction that queued deliveries commits.
 */
@Component
class FanOut {

    /** A row of the fan-out statement: an endpoint with a filter for an event, or (both null) a delivery queued. */
    record Match(@Nullable String endpointId, @Nullable String eventId) {}

    private final Endpoints endpoints;
    private final Deliveries deliveries;
    private final Expressions expressions;
    private final DeliveringWebhooks sender;
    private final JsonMapper json;
    private final Clock clock;

    FanOut(
            Endpoints endpoints,
            Deliveries deliveries,
            Expressions expressions,
            DeliveringWebhooks sender,
            JsonMapper json,
            Clock clock) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.expressions = expressions;
        this.sender = sender;
        this.json = json;
        this.clock = clock;
    }

    static Match match(ResultSet rs, int row) throws SQLException {
        return new Match(rs.getString(1), rs.getString(2));
    }

    /** Queues what the filters let through, and wakes the sender when anything was queued. */
    void filtered(List<Match> matches, Map<String, EventEnvelope> envelopes) {
        boolean queued = matches.stream().anyMatch(m -> m.endpointId() == null);
        var filteredByProject = new HashMap<ProjectId, Map<String, Endpoint>>();
        for (var match : matches) {
            var envelope = match.endpointId() == null ? null : envelopes.get(match.eventId());
            if (envelope == null) {
                continue;
            }
            var project = envelope.projectId();
            var endpoint = filteredByProject
                    .computeIfAbsent(project, key -> endpoints.filtered(key).stream()
                            .collect(Collectors.toMap(Endpoint::id, found -> found)))
                    .get(match.endpointId());
            if (endpoint == null || endpoint.filter() == null) {
                continue;
            }
            Map<String, Object> event = json.convertValue(envelope, new TypeReference<Map<String, Object>>() {});
            if (expressions.predicate(endpoint.filter(), "event").test(Map.of("event", event))) {
                deliveries.queue(
                        project, Ids.generate("msg"), endpoint.id(), envelope.id(), envelope.type(), clock.instant());
                queued = true;
            }
        }
        if (queued) {
            wakeAfterCommit();
        }
    }

    /** Queues a delivery of an event to one endpoint; the delivery's id. */
    String queue(EventEnvelope envelope, String endpointId) {
        var id = Ids.generate("msg");
        deliveries.queue(envelope.projectId(), id, endpointId, envelope.id(), envelope.type(), clock.instant());
        wakeAfterCommit();
        return id;
    }

    /** Wakes this node's sender when the current transaction commits (at once without one). */
    void wakeAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    sender.wake();
                }
            });
        } else {
            sender.wake();
        }
    }
}
