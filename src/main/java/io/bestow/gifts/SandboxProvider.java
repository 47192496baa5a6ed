package io.bestow.gifts;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.bestow.customers.Customer;
import io.bestow.shared.ProjectId;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;

/**
 * The built-in provider for demos and tests: it fulfils nothing, but walks each send through its statuses, one step
 * every {@code bestow.gifts.sandbox.step}, as a recipient and a carrier would (e-gift: clicked, claimed; physical:
 * clicked and address confirmed when asked, then processed, shipped, delivered). Each step is a persistent task and
 * a status update with its own event id, so a restart or a repeated step changes nothing twice.
 */
@Component
class SandboxProvider implements FulfilmentProvider {

    static final String STEP_TASK = "sandbox-gift-step";

    private final ObjectProvider<SchedulerClient> scheduler;
    private final Clock clock;
    private final Duration step;

    SandboxProvider(
            ObjectProvider<SchedulerClient> scheduler,
            Clock clock,
            @Value("${bestow.gifts.sandbox.step:1m}") Duration step) {
        this.scheduler = scheduler;
        this.clock = clock;
        this.step = step;
    }

    @Override
    public String name() {
        return Gift.SANDBOX;
    }

    @Override
    public String dispatch(ProjectId project, Send send, Gift gift, Customer recipient) {
        schedule(project, send.id(), path(send).getFirst());
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

    private void schedule(ProjectId project, String sendId, SendStatus status) {
        scheduler
                .getObject()
                .scheduleIfNotExists(
                        new TaskInstance<>(STEP_TASK, sendId + ":" + status.value(), project.value()),
                        clock.instant().plus(step));
    }

    /** Reports one step and schedules the next, unless the send went elsewhere (cancelled, say) meanwhile. */
    void step(SendManagement sends, ProjectId project, String sendId, SendStatus status) {
        var send = sends.send(project, sendId);
        if (send.status() != status && !send.status().canMoveTo(status, send.giftType(), send.confirmAddress())) {
            return;
        }
        sends.report(project, sendId, status, "provider:sandbox", "sandbox-" + sendId + "-" + status.value(), null);
        var path = path(send);
        int next = path.indexOf(status) + 1;
        if (next < path.size()) {
            schedule(project, sendId, path.get(next));
        }
    }

    /** The persistent task behind each sandbox step. */
    @Configuration(proxyBeanMethods = false)
    static class Task {

        @Bean
        OneTimeTask<String> sandboxGiftStep(SandboxProvider sandbox, SendManagement sends) {
            return Tasks.oneTime(STEP_TASK, String.class).execute((instance, context) -> {
                var id = instance.getId();
                int colon = id.lastIndexOf(':');
                sandbox.step(
                        sends,
                        new ProjectId(instance.getData()),
                        id.substring(0, colon),
                        SendStatus.parse(id.substring(colon + 1)).orElseThrow());
            });
        }
    }
}
