package io.bestow.webhooks;

import io.bestow.shared.EventBatch;
import io.bestow.shared.EventEnvelope;
import io.bestow.shared.EventGroup;
import io.bestow.shared.ProjectEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Exports every event to Kafka when {@code BESTOW_KAFKA_BOOTSTRAP} is set, at least once: Spring Modulith's event
 * publication registry keeps an entry for each event (or batch or group of events) in the transaction that
 * published it, this listener sends it after the commit and waits for Kafka to acknowledge it, and an entry left
 * incomplete (Kafka down, a crash) is sent again on restart. The record's key is the id of the object the event is
 * about, so that all events about one object keep their order in one partition; its value is the envelope as webhooks
 * and the feed show it.
 */
@Component
@ConditionalOnExpression("!'${bestow.kafka.bootstrap:}'.isBlank()")
class KafkaExport {

    private static final long ACK_TIMEOUT_SECONDS = 60;

    private final KafkaOperations<String, byte[]> kafka;
    private final JsonMapper json;
    private final String topic;

    KafkaExport(
            KafkaOperations<String, byte[]> kafka,
            JsonMapper json,
            @Value("${bestow.kafka.topic:bestow.events}") String topic) {
        this.kafka = kafka;
        this.json = json;
        this.topic = topic;
    }

    @ApplicationModuleListener
    void on(ProjectEvent event) throws InterruptedException, ExecutionException, TimeoutException {
        send(event).get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @ApplicationModuleListener
    void on(EventBatch batch) throws InterruptedException, ExecutionException, TimeoutException {
        sendAll(batch.events());
    }

    @ApplicationModuleListener
    void on(EventGroup group) throws InterruptedException, ExecutionException, TimeoutException {
        sendAll(group.events());
    }

    private void sendAll(List<? extends ProjectEvent> events)
            throws InterruptedException, ExecutionException, TimeoutException {
        var sent = new ArrayList<CompletableFuture<?>>();
        for (ProjectEvent event : events) {
            sent.add(send(event));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private CompletableFuture<?> send(ProjectEvent event) {
        return kafka.send(topic, key(event), json.writeValueAsBytes(EventEnvelope.of(event)));
    }

    /** The id of the object an event is about, or the event's own id when the object has none. */
    private String key(ProjectEvent event) {
        var id = json.valueToTree(event.object()).path("id");
        return id.isString() ? id.asString() : event.meta().id();
    }
}
