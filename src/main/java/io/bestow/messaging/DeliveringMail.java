package io.bestow.messaging;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import jakarta.mail.MessagingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Delivers queued mails over SMTP ({@code BESTOW_SMTP_*}): right after the commit that wrote them, and from a sweep
 * that retries failures with backoff (five attempts) and takes over mails a dead node had taken.
 */
@Component
class DeliveringMail {

    private static final Logger log = LoggerFactory.getLogger(DeliveringMail.class);
    private static final int MAX_ATTEMPTS = 5;
    private static final Duration LEASE = Duration.ofMinutes(1);

    private final Mails mails;
    private final Clock clock;
    private final @Nullable JavaMailSenderImpl smtp;
    private final String from;
    private final Duration backoff;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    DeliveringMail(
            Mails mails,
            Clock clock,
            @Value("${bestow.mail.smtp-host:}") String host,
            @Value("${bestow.mail.smtp-port:587}") int port,
            @Value("${bestow.mail.smtp-user:}") String user,
            @Value("${bestow.mail.smtp-password:}") String password,
            @Value("${bestow.mail.smtp-tls:true}") boolean tls,
            @Value("${bestow.mail.from:gifts@bestow.local}") String from,
            @Value("${bestow.mail.backoff:30s}") Duration backoff) {
        this.mails = mails;
        this.clock = clock;
        this.from = from;
        this.backoff = backoff;
        if (host.isBlank()) {
            this.smtp = null;
            log.info("No SMTP server configured (BESTOW_SMTP_HOST): e-mails stay in the outbox for admins to read");
        } else {
            var sender = new JavaMailSenderImpl();
            sender.setHost(host);
            sender.setPort(port);
            sender.setDefaultEncoding(StandardCharsets.UTF_8.name());
            if (!user.isBlank()) {
                sender.setUsername(user);
                sender.setPassword(password);
            }
            var properties = new Properties();
            properties.put("mail.smtp.auth", String.valueOf(!user.isBlank()));
            properties.put("mail.smtp.starttls.enable", String.valueOf(tls));
            properties.put("mail.smtp.starttls.required", String.valueOf(tls));
            properties.put("mail.smtp.connectiontimeout", "10000");
            properties.put("mail.smtp.timeout", "10000");
            properties.put("mail.smtp.writetimeout", "10000");
            sender.setJavaMailProperties(properties);
            this.smtp = sender;
        }
    }

    boolean configured() {
        return smtp != null;
    }

    /** Delivers the mail once the current transaction commits (the sweep does it should this node not). */
    void afterCommit(String id) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            executor.execute(() -> deliver(id));
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                executor.execute(() -> deliver(id));
            }
        });
    }

    /** Takes the mail if it is due and sends it once. */
    void deliver(String id) {
        if (smtp == null) {
            return;
        }
        var now = clock.instant();
        var taken = mails.take(id, now, now.plus(LEASE));
        if (taken.isEmpty()) {
            return;
        }
        var mail = taken.get();
        try {
            var message = smtp.createMimeMessage();
            var helper = new MimeMessageHelper(message, mail.html() != null, StandardCharsets.UTF_8.name());
            helper.setFrom(from);
            helper.setTo(mail.to());
            helper.setSubject(mail.subject());
            if (mail.html() != null) {
                helper.setText(mail.text(), mail.html());
            } else {
                helper.setText(mail.text());
            }
            smtp.send(message);
            mails.sent(id, clock.instant());
        } catch (MailException | MessagingException e) {
            var last = mail.attempts() >= MAX_ATTEMPTS;
            log.warn("Sending mail {} failed (attempt {}): {}", id, mail.attempts(), e.getMessage());
            mails.failed(
                    id,
                    String.valueOf(e.getMessage()),
                    last ? null : clock.instant().plus(backoff.multipliedBy(1L << (mail.attempts() - 1))));
        }
    }

    void sweep() {
        for (var id : mails.due(clock.instant(), 100)) {
            deliver(id);
        }
    }

    /** The recurring sweep of due mails. */
    @Configuration(proxyBeanMethods = false)
    static class Sweep {

        @Bean
        RecurringTask<Void> deliverMails(DeliveringMail delivering, @Value("${bestow.mail.sweep:10s}") Duration every) {
            return Tasks.recurring("deliver-mails", FixedDelay.of(every))
                    .execute((instance, context) -> delivering.sweep());
        }
    }
}
