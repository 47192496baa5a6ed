package io.bestow.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.bestow.Bestow;
import io.bestow.TestApi;
import io.bestow.identity.IdentityFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.databind.json.JsonMapper;

/** Every event reaches Kafka when a bootstrap server is configured: here an in-process KRaft broker. */
class KafkaExportIntegrationTests {

    static final EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1, "bestow.events");
    static final JsonMapper json = JsonMapper.builder().build();

    @TempDir
    Path dataDir;

    @BeforeAll
    static void start() {
        broker.afterPropertiesSet();
    }

    @AfterAll
    static void stop() {
        broker.destroy();
    }

    @Test
    void exportsSingleEventsAndBatchesKeyedByTheirObjectsId() {
        try (var context = new SpringApplicationBuilder(Bestow.class)
                        .profiles("test")
                        .run(
                                "--server.port=0",
                                "--bestow.data-dir=" + dataDir,
                                "--bestow.kafka.bootstrap=" + broker.getBrokersAsString());
                var consumer = new KafkaConsumer<String, String>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.getBrokersAsString(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "bi-pipeline",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                        StringDeserializer.class,
                        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                        StringDeserializer.class))) {
            int port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
            var api = TestApi.at(port).as(IdentityFixtures.BOOTSTRAP_APP_ID, IdentityFixtures.BOOTSTRAP_APP_TOKEN);
            var ann = api.post("/v1/customers", "{\"source_id\": \"kafka-ann\"}")
                    .json()
                    .get("id")
                    .asString();
            var accepted = api.upload(
                    "/v1/customers/importCSV",
                    "file",
                    "more.csv",
                    "source_id,name\nkafka-1,One\nkafka-2,Two\n".getBytes(StandardCharsets.UTF_8));
            assertThat(accepted.status()).isEqualTo(202);

            consumer.subscribe(List.of("bestow.events"));
            var created = new ArrayList<ConsumerRecord<String, String>>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (created.size() < 3 && System.currentTimeMillis() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    if (json.readTree(record.value()).get("type").asString().equals("customer.created")) {
                        created.add(record);
                    }
                }
            }

            assertThat(created).hasSize(3);
            var byKey = created.stream()
                    .collect(java.util.stream.Collectors.toMap(ConsumerRecord::key, r -> json.readTree(r.value())));
            assertThat(byKey).as(byKey.toString()).containsKey(ann);
            assertThat(byKey.get(ann)
                            .path("data")
                            .path("object")
                            .path("source_id")
                            .asString())
                    .as(byKey.get(ann).toString())
                    .isEqualTo("kafka-ann");
            assertThat(byKey.values())
                    .extracting(
                            e -> e.get("data").get("object").get("source_id").asString())
                    .containsExactlyInAnyOrder("kafka-ann", "kafka-1", "kafka-2");
            assertThat(byKey.values())
                    .allSatisfy(e -> assertThat(e.get("id").asString()).startsWith("evt_"));
        }
    }
}
