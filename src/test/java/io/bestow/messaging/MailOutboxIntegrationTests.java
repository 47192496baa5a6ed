package io.bestow.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.bestow.BestowTest;
import io.bestow.identity.IdentityFixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/** Without an SMTP server, e-mails stay in the outbox, where admins read them. */
@BestowTest
@TestPropertySource(properties = "bestow.mail.smtp-host=")
class MailOutboxIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    IdentityFixtures identity;

    @Autowired
    MailManagement mails;

    @Test
    void storesMailsForAdminsWhenNoSmtpServerIsConfigured() {
        var tenant = identity.tenant(port);

        var mail = mails.send(
                tenant.project(),
                new Mail.Draft("ann@example.com", "Code", "Your code is 654321", null, "test.code", null));

        assertThat(mail.status()).isEqualTo("stored");
        var stored = tenant.api().get("/v1/outbox/" + mail.id()).json();
        assertThat(stored.get("status").asString()).isEqualTo("stored");
        assertThat(stored.get("text").asString()).contains("654321");
    }
}
