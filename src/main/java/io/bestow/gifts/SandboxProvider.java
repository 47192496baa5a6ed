package io.bestow.gifts;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.bestow.customers.Customer;
import io.bestow.shared.ProjectId;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;

/**
 * The built-in provider for demos and tests: it fulfils nothing, but walks each send through its statuses, one step
 * every {@code bestow.gifts.sandbox.step}, as a recipient and a carrier would (e-gift: clicked, claimed; physical:
 * clicked and address confirmed when asked, then processed, shipped, delivered). A recurring sweep moves every send
 * that has stood still for a step; each step is a status update with its own event id, so a step repeated after a
 * crash changes nothing twice.
 */
@Component
class SandboxProvider implements FulfilmentProvider {

    private final Clock clock;
    private final Duration step;

    SandboxProvider(Clock clock, @Value("${bestow.gifts.sandbox.step:1m}") Duration step) {
        this.clock = clock;
        this.step = step;
    }

    @Override
    public String name() {
        return Gift.SANDBOX;
    }

    @Override
    public boolean local() {
        return true;
    }

    @Override
    public String dispatch(ProjectId project, Send send, Gift gift, Customer recipient) {
        return "sandbox_" + send.id();
    }

    /** The statuses the sandbox reports for a send, in order. */
    static List<SendStatus> path(Send send) {
        if (send.giftType() == Gift.Type.EGIFT) {
            return List.of(SendStatus.CLICKED, SendStatus.CLAIMED);
        }
        return send.confirmAddress()
                ? List.of(
                        SendStatus.CLICKED,
                        SendStatus.ADDRESS_CONFIRMED,
                        SendStatus.PROCESSED,
                        SendStatus.SHIPPED,
                        SendStatus.DELIVERED)
                : List.of(SendStatus.PROCESSED, SendStatus.SHIPPED, SendStatus.DELIVERED);
    }

    /** Moves every sandbox send that stood still for a step one status on; how many it moved. */
    int walk(SendManagement sends) {
        int moved = 0;
        for (var due : sends.sandboxDue(clock.instant().minus(step), 200)) {
            var project = new ProjectId(due.getKey());
            var send = sends.send(project, due.getValue());
            var path = path(send);
            var next = path.get(path.indexOf(send.status()) + 1);
            if (send.status().canMoveTo(next, send.giftType(), send.confirmAddress())) {
                sends.report(
                        project,
                        send.id(),
                        next,
                        "provider:sandbox",
                        "sandbox-" + send.id() + "-" + next.value(),
                        null);
                moved++;
            }
        }
        return moved;
    }

    /** The recurring sweep behind the walk. */
    @Configuration(proxyBeanMethods = false)
    static class Walk {

        @Bean
        RecurringTask<Void> walkSandboxSends(
                SandboxProvider sandbox,
                SendManagement sends,
                @Value("${bestow.gifts.sandbox.step:1m}") Duration step) {
            return Tasks.recurring("walk-sandbox-sends", FixedDelay.of(step.dividedBy(2)))
                    .execute((instance, context) -> sandbox.walk(sends));
        }
    }
}
