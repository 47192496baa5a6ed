package io.bestow.shared.web;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Deletes idempotency records past their retention, hourly, on one node of the cluster at a time. */
@Configuration(proxyBeanMethods = false)
class IdempotencyKeysPurge {

    @Bean
    RecurringTask<Void> purgeIdempotencyKeys(
            JdbcClient jdbc, Clock clock, @Value("${bestow.idempotency.retention}") Duration retention) {
        return Tasks.recurring("purge-idempotency-keys", FixedDelay.ofHours(1))
                .execute((instance, context) -> jdbc.sql("DELETE FROM shared.idempotency_keys WHERE created_at < ?")
                        .param(Timestamp.from(clock.instant().minus(retention)))
                        .update());
    }
}
