package io.bestow.shared;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Runs what many threads ask for at about the same time as one operation (a multi-row insert, a lookup of many keys):
 * a caller queues its item and waits for its turn, and whoever gets the turn runs the operation for everything queued
 * by then. Under load that makes one database round trip (and one commit) for many callers instead of one each; a
 * caller alone runs its own item at once. A caller inside a transaction runs its item alone, in its transaction, so
 * that its work never lands in another caller's transaction or the other way round.
 *
 * @param <I> what a caller asks for
 * @param <O> what it gets back
 */
public final class Coalescing<I, O> {

    private static final class Pending<I, O> {
        final I item;

        @Nullable
        O result;

        @Nullable
        RuntimeException failure;

        boolean done;

        Pending(I item) {
            this.item = item;
        }
    }

    private final Function<List<I>, List<O>> operation;
    private final int most;
    private final ConcurrentLinkedQueue<Pending<I, O>> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock turn = new ReentrantLock();

    /**
     * @param operation runs many items at once and answers for each, in their order
     * @param most the most items one operation takes
     */
    public Coalescing(Function<List<I>, List<O>> operation, int most) {
        this.operation = operation;
        this.most = most;
    }

    /** What the operation answers for this item, run together with whatever other callers asked for meanwhile. */
    public O apply(I item) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            return operation.apply(List.of(item)).getFirst();
        }
        var mine = new Pending<I, O>(item);
        queue.add(mine);
        turn.lock();
        try {
            while (!mine.done) {
                runQueued();
            }
        } finally {
            turn.unlock();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.result;
    }

    /** How many items wait for an operation. */
    int queued() {
        return queue.size();
    }

    private void runQueued() {
        var batch = new ArrayList<Pending<I, O>>();
        for (Pending<I, O> next; batch.size() < most && (next = queue.poll()) != null; ) {
            batch.add(next);
        }
        try {
            var results =
                    operation.apply(batch.stream().map(pending -> pending.item).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result = results.get(i);
            }
        } catch (RuntimeException e) {
            batch.forEach(pending -> pending.failure = e);
        }
        batch.forEach(pending -> pending.done = true);
    }
}
