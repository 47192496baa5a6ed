package io.bestow.shared;

import static org.assertj.core.api.Assertions.assertThat;

import io.bestow.BestowTest;
import io.bestow.identity.IdentityFixtures;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

@BestowTest
class IdempotencyIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Test
    void replaysTheFirstResponseForTheSameKeyAndBody() {
        var tenant = fixtures.tenant(port);
        var api = tenant.api().with("Idempotency-Key", "create-ci-key");

        var first = api.post("/v1/api-keys", "{\"name\": \"ci\"}");
        var again = api.post("/v1/api-keys", "{\"name\": \"ci\"}");

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(keysNamed(tenant.project(), "ci")).isEqualTo(1);
    }

    @Test
    void rejectsTheSameKeyWithADifferentBody() {
        var tenant = fixtures.tenant(port);
        var api = tenant.api().with("Idempotency-Key", "reused");

        assertThat(api.post("/v1/api-keys", "{\"name\": \"one\"}").status()).isEqualTo(201);
        var reused = api.post("/v1/api-keys", "{\"name\": \"two\"}");

        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.json().get("key").asString()).isEqualTo("idempotency_key_reused");
        assertThat(keysNamed(tenant.project(), "two")).isZero();
    }

    @Test
    void keysAreScopedToTheProject() {
        var a = fixtures.tenant(port);
        var b = fixtures.tenant(port);

        var forA = a.api().with("Idempotency-Key", "shared-key").post("/v1/api-keys", "{\"name\": \"x\"}");
        var forB = b.api().with("Idempotency-Key", "shared-key").post("/v1/api-keys", "{\"name\": \"x\"}");

        assertThat(forA.status()).isEqualTo(201);
        assertThat(forB.status()).isEqualTo(201);
        assertThat(forB.header("Idempotent-Replayed")).isNull();
        assertThat(forB.json().get("id").asString())
                .isNotEqualTo(forA.json().get("id").asString());
    }

    @Test
    void aTwinArrivingWhileTheFirstRunsGetsConflictAndTheFirstStillLands() throws Exception {
        var tenant = fixtures.tenant(port);
        var api = tenant.api().with("Idempotency-Key", "slow-one");
        // Authenticate once first, so that the key's last-used time is fresh and no request needs to write it.
        assertThat(tenant.api().get("/v1/project").status()).isEqualTo(200);

        // Hold a lock the first request's insert must wait for, so that it is still running when its twin arrives.
        try (var connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.createStatement().execute("LOCK TABLE identity.api_keys IN EXCLUSIVE MODE");

            var first = CompletableFuture.supplyAsync(() -> api.post("/v1/api-keys", "{\"name\": \"slow\"}"));
            awaitLockWaiter();
            var twin = api.post("/v1/api-keys", "{\"name\": \"slow\"}");

            assertThat(twin.status()).isEqualTo(409);
            assertThat(twin.json().get("key").asString()).isEqualTo("idempotency_request_in_progress");
            connection.commit();
            assertThat(first.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
        }
        var replay = api.post("/v1/api-keys", "{\"name\": \"slow\"}");
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(keysNamed(tenant.project(), "slow")).isEqualTo(1);
    }

    @Test
    void manyConcurrentTwinsCreateExactlyOneObject() throws Exception {
        var tenant = fixtures.tenant(port);
        var api = tenant.api().with("Idempotency-Key", "burst");
        int twins = 12;
        var start = new CountDownLatch(1);
        var statuses = new ArrayList<CompletableFuture<Integer>>();
        try (var pool = Executors.newFixedThreadPool(twins)) {
            for (int i = 0; i < twins; i++) {
                statuses.add(CompletableFuture.supplyAsync(
                        () -> {
                            await(start);
                            return api.post("/v1/api-keys", "{\"name\": \"burst\"}")
                                    .status();
                        },
                        pool));
            }
            start.countDown();
            var results = statuses.stream().map(CompletableFuture::join).toList();
            assertThat(results).containsOnly(201, 409).contains(201);
        }
        assertThat(keysNamed(tenant.project(), "burst")).isEqualTo(1);
    }

    @Test
    void replaysAClientErrorToo() {
        var tenant = fixtures.tenant(port);
        var api = tenant.api().with("Idempotency-Key", "bad-then-good");

        var invalid = api.post("/v1/api-keys", "{\"name\": \"\"}");
        assertThat(invalid.status()).isEqualTo(422);
        var replayed = api.post("/v1/api-keys", "{\"name\": \"\"}");
        assertThat(replayed.status()).isEqualTo(422);
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
    }

    private void awaitLockWaiter() throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            var waiting = jdbc.sql("""
                            SELECT count(*) FROM pg_stat_activity
                            WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO identity.api_keys%'
                            """).query(Long.class).single();
            if (waiting > 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the first request never reached the lock");
    }

    private long keysNamed(ProjectId project, String name) {
        return jdbc.sql("SELECT count(*) FROM identity.api_keys WHERE project_id = ? AND name = ?")
                .params(project.value(), name)
                .query(Long.class)
                .single();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
