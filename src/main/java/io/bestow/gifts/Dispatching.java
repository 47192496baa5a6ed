package io.bestow.gifts;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.bestow.customers.CustomerManagement;
import io.bestow.shared.ProjectId;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Hands funded sends to their providers. The send's row is its own outbox: funding a send makes its hand-over due
 * in the same transaction, and right after the commit this node takes it (moving it a lease ahead) and calls the
 * provider. A failure moves it a backoff ahead; after the last try the send fails and its money goes back. A sweep
 * picks up what is due and not taken: retries, and sends whose node died after taking them, so a crash between the
 * hold and the provider call delays a send but never loses it or charges it twice.
 */
@Component
class Dispatching {

    private static final Logger log = LoggerFactory.getLogger(Dispatching.class);
    /** Hand-overs in flight on this node at most; the rest wait for a permit. */
    private static final int IN_FLIGHT = 64;

    private final SendManagement sends;
    private final GiftManagement gifts;
    private final CustomerManagement customers;
    private final Map<String, FulfilmentProvider> providers;
    private final Clock clock;
    private final Duration lease;
    private final Duration backoff;
    private final int maxAttempts;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);

    Dispatching(
            SendManagement sends,
            GiftManagement gifts,
            CustomerManagement customers,
            List<FulfilmentProvider> providers,
            Clock clock,
            @Value("${bestow.gifts.dispatch.lease:60s}") Duration lease,
            @Value("${bestow.gifts.dispatch.backoff:10s}") Duration backoff,
            @Value("${bestow.gifts.dispatch.max-retries:8}") int maxRetries) {
        this.sends = sends;
        this.gifts = gifts;
        this.customers = customers;
        this.providers = FulfilmentProvider.byName(providers);
        this.clock = clock;
        this.lease = lease;
        this.backoff = backoff;
        this.maxAttempts = maxRetries + 1;
    }

    /** Hands the send over as soon as the current transaction commits (the sweep does it if this node cannot). */
    void afterCommit(ProjectId project, String sendId) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            submit(project, sendId);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                submit(project, sendId);
            }
        });
    }

    private void submit(ProjectId project, String sendId) {
        if (inFlight.tryAcquire()) {
            executor.execute(() -> {
                try {
                    attempt(project, sendId);
                } finally {
                    inFlight.release();
                }
            });
        }
    }

    /** Takes the send's hand-over if it is due and not taken, and tries it once. */
    void attempt(ProjectId project, String sendId) {
        var now = clock.instant();
        var taken = sends.takeDispatch(project, sendId, now, now.plus(lease));
        if (taken.isEmpty()) {
            return;
        }
        var send = taken.get().send();
        try {
            var provider = providers.get(send.provider());
            if (provider == null) {
                throw new IllegalStateException("No fulfilment provider is named " + send.provider());
            }
            var reference = provider.dispatch(
                    project,
                    send,
                    gifts.giftForSending(project, send.giftId()),
                    customers.customer(project, send.customerId()));
            sends.dispatched(project, sendId, reference);
        } catch (RuntimeException e) {
            var error = String.valueOf(e.getMessage());
            int attempts = taken.get().attempts();
            if (attempts >= maxAttempts) {
                log.warn("Giving up handing send {} to its provider after {} attempts: {}", sendId, attempts, error);
                sends.dispatchFailed(project, sendId, error, null);
                sends.giveUp(project, sendId, "the provider did not take the send: " + error);
            } else {
                var delay = backoff.multipliedBy(1L << Math.min(attempts - 1, 20));
                sends.dispatchFailed(project, sendId, error, clock.instant().plus(delay));
            }
        }
    }

    /** Tries every hand-over that is due and not taken, a batch at a time. */
    void sweep() {
        for (var due : sends.dueDispatches(100)) {
            attempt(new ProjectId(due.getKey()), due.getValue());
        }
    }

    /**
     * The sweeps, as recurring tasks (one node at a time each): hand-overs that are due, and sends whose claim time
     * ran out.
     */
    @Configuration(proxyBeanMethods = false)
    static class Sweeps {

        @Bean
        RecurringTask<Void> dispatchGiftSends(
                Dispatching dispatching, @Value("${bestow.gifts.dispatch.sweep:5s}") Duration every) {
            return Tasks.recurring("dispatch-gift-sends", FixedDelay.of(every))
                    .execute((instance, context) -> dispatching.sweep());
        }

        @Bean
        RecurringTask<Void> expireGiftSends(
                SendManagement sends, @Value("${bestow.gifts.expiry-sweep:1m}") Duration every) {
            return Tasks.recurring("expire-gift-sends", FixedDelay.of(every)).execute((instance, context) -> {
                while (sends.expireDue(100) == 100) {
                    // another full batch may follow
                }
            });
        }
    }
}
