package io.bestow.webhooks;

import io.bestow.shared.EventEnvelope;
import io.bestow.shared.Expressions;
import io.bestow.shared.Ids;
import io.bestow.shared.ProjectId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
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
 * through, and once the transaction that queued deliveries commits hands those it claimed to this node's sender (and
 * wakes the sender for the rest).
 */
@Component
class FanOut {

    /**
     * A row of the fan-out statement: a delivery queued, with its endpoint's version and limit, or (no delivery id) an
     * endpoint whose filter is for Java to ask about an event.
     */
    record Match(
            @Nullable String deliveryId,
            String endpointId,
            String eventId,
            @Nullable Instant endpointUpdatedAt,
            int maxInFlight) {}

    /**
     * The claim a fan-out statement queues its deliveries under, so that this node sends them as soon as they are
     * committed instead of claiming them again; {@link #NONE} when this node does not send.
     */
    record Lease(@Nullable String claim, @Nullable Instant until) {

        static final Lease NONE = new Lease(null, null);

        /** Sets the lease's two parameters of the fan-out statement, from {@code index}. */
        void bind(PreparedStatement statement, int index) throws SQLException {
            statement.setTimestamp(index, until == null ? null : Timestamp.from(until));
            statement.setString(index + 1, claim);
        }
    }

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
        var updatedAt = rs.getTimestamp(4);
        return new Match(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                updatedAt == null ? null : updatedAt.toInstant(),
                rs.getInt(5));
    }

    /** The lease for the deliveries a fan-out statement is about to queue. */
    Lease lease() {
        return sender.lease();
    }

    /**
     * Hands the deliveries queued under the lease to the sender once the transaction commits, queues what the filters
     * let through, and wakes the sender for those.
     */
    void queued(List<Match> matches, Map<String, EventEnvelope> envelopes, Map<String, String> bodies, Lease lease) {
        var claimed = new ArrayList<Deliveries.Claimed>();
        boolean unclaimed = false;
        var filteredByProject = new HashMap<ProjectId, Map<String, Endpoint>>();
        for (var match : matches) {
            var envelope = envelopes.get(match.eventId());
            if (envelope == null) {
                continue;
            }
            var project = envelope.projectId();
            if (match.deliveryId() != null) {
                if (lease.claim() == null || lease.until() == null || match.endpointUpdatedAt() == null) {
                    unclaimed = true;
                } else {
                    claimed.add(new Deliveries.Claimed(
                            match.deliveryId(),
                            project,
                            match.endpointId(),
                            match.endpointUpdatedAt(),
                            match.maxInFlight(),
                            match.eventId(),
                            1,
                            lease.claim(),
                            lease.until(),
                            bodies.get(match.eventId())));
                }
                continue;
            }
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
                unclaimed = true;
            }
        }
        if (!claimed.isEmpty()) {
            afterCommit(() -> sender.handOff(claimed));
        }
        if (unclaimed) {
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
        afterCommit(sender::wake);
    }

    private static void afterCommit(Runnable action) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    action.run();
                }
            });
        } else {
            action.run();
        }
    }
}
