package io.bestow.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronizationManager;

class CoalescingTests {

    @Test
    void everyCallerGetsTheAnswerForItsOwnItemAndWaitingCallersShareOperations() throws Exception {
        var batches = new CopyOnWriteArrayList<List<Integer>>();
        var firstStarted = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var doubling = new Coalescing<Integer, Integer>(
                items -> {
                    batches.add(items);
                    firstStarted.countDown();
                    await(release);
                    return items.stream().map(item -> item * 2).toList();
                },
                50);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var first = threads.submit(() -> doubling.apply(-1));
            firstStarted.await();
            // While the first operation runs, 200 more callers queue up.
            var answers = new ArrayList<Future<Integer>>();
            for (int i = 0; i < 200; i++) {
                int item = i;
                answers.add(threads.submit(() -> doubling.apply(item)));
            }
            while (doubling.queued() < 200) {
                Thread.sleep(5);
            }
            release.countDown();
            assertThat(first.get()).isEqualTo(-2);
            for (int i = 0; i < 200; i++) {
                assertThat(answers.get(i).get()).isEqualTo(i * 2);
            }
        }
        assertThat(batches.getFirst()).containsExactly(-1);
        assertThat(batches.subList(1, batches.size())).hasSize(4).allSatisfy(batch -> assertThat(batch)
                .hasSize(50));
        assertThat(batches.stream().flatMap(List::stream)).hasSize(201).doesNotHaveDuplicates();
    }

    @Test
    void aFailedOperationFailsEveryCallerInItAndNotTheNextOnes() {
        var seen = ConcurrentHashMap.<Integer>newKeySet();
        var failing = new Coalescing<Integer, Integer>(
                items -> {
                    seen.addAll(items);
                    if (items.contains(13)) {
                        throw new IllegalStateException("unlucky");
                    }
                    return items;
                },
                10);
        assertThatThrownBy(() -> failing.apply(13)).hasMessage("unlucky");
        assertThat(failing.apply(14)).isEqualTo(14);
        assertThat(seen).containsExactlyInAnyOrder(13, 14);
    }

    @Test
    void aCallerInsideATransactionRunsItsItemAloneOnItsOwnThread() {
        var threads = new CopyOnWriteArrayList<Thread>();
        var alone = new Coalescing<Integer, Integer>(
                items -> {
                    threads.add(Thread.currentThread());
                    assertThat(items).hasSize(1);
                    return items;
                },
                10);
        TransactionSynchronizationManager.setActualTransactionActive(true);
        try {
            assertThat(alone.apply(7)).isEqualTo(7);
        } finally {
            TransactionSynchronizationManager.setActualTransactionActive(false);
        }
        assertThat(threads).containsExactly(Thread.currentThread());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
