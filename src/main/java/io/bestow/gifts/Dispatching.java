package io.bestow.gifts;

import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.bestow.customers.CustomerManagement;
import io.bestow.shared.ProjectId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;

/**
 * Hands funded sends to their providers, as persistent tasks scheduled in the transaction that funded the send: a
 * crash after the hold leaves the task behind, and another node (or this one after a restart) runs it. A failing
 * hand-over is retried with backoff; after the last try the send fails and its money goes back.
 */
@Component
class Dispatching {

    private static final Logger log = LoggerFactory.getLogger(Dispatching.class);

    private final SendManagement sends;
    private final GiftManagement gifts;
    private final CustomerManagement customers;
    private final Map<String, FulfilmentProvider> providers;

    Dispatching(
            SendManagement sends,
            GiftManagement gifts,
            CustomerManagement customers,
            List<FulfilmentProvider> providers) {
        this.sends = sends;
        this.gifts = gifts;
        this.customers = customers;
        this.providers = providers.stream().collect(Collectors.toMap(FulfilmentProvider::name, Function.identity()));
    }

    void dispatch(ProjectId project, String sendId) {
        var send = sends.send(project, sendId);
        if (send.dispatchedAt() != null
                || send.status().pending()
                || send.status().terminal()) {
            return;
        }
        try {
            var provider = providers.get(send.provider());
            if (provider == null) {
                throw new IllegalStateException("No fulfilment provider is named " + send.provider());
            }
            var reference = provider.dispatch(
                    project, send, gifts.gift(project, send.giftId()), customers.customer(project, send.customerId()));
            sends.dispatched(project, sendId, reference);
        } catch (RuntimeException e) {
            sends.dispatchFailed(project, sendId, String.valueOf(e.getMessage()));
            throw e;
        }
    }

    /** Gives up on a send its provider never took: it fails, and its money goes back. */
    void giveUp(ProjectId project, String sendId) {
        var send = sends.send(project, sendId);
        log.warn("Giving up handing send {} to its provider: {}", sendId, send.dispatchError());
        if (send.status().canMoveTo(SendStatus.FAILED, send.giftType(), send.confirmAddress())) {
            sends.report(
                    project,
                    sendId,
                    SendStatus.FAILED,
                    "system",
                    null,
                    "the provider did not take the send: " + send.dispatchError());
        }
    }

    /** The persistent tasks: one hand-over per send, and the sweep that expires unclaimed sends. */
    @Configuration(proxyBeanMethods = false)
    static class Task {

        @Bean
        OneTimeTask<String> dispatchGiftSend(
                Dispatching dispatching,
                @Value("${bestow.gifts.dispatch.max-retries:8}") int maxRetries,
                @Value("${bestow.gifts.dispatch.backoff:10s}") Duration backoff) {
            return Tasks.oneTime(SendManagement.DISPATCH_TASK, String.class)
                    .onFailure(new FailureHandler.MaxRetriesFailureHandler<>(
                            maxRetries,
                            new FailureHandler.ExponentialBackoffFailureHandler<>(backoff, 2.0),
                            (complete, operations) -> dispatching.giveUp(
                                    new ProjectId((String)
                                            complete.getExecution().taskInstance.getData()),
                                    complete.getExecution().taskInstance.getId())))
                    .execute((instance, context) ->
                            dispatching.dispatch(new ProjectId(instance.getData()), instance.getId()));
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
