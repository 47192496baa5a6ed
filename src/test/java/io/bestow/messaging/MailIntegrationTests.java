package io.bestow.messaging;

import static io.bestow.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.bestow.BestowTest;
import io.bestow.TestApi;
import io.bestow.identity.IdentityFixtures;
import io.bestow.identity.Role;
import io.bestow.shared.ProjectId;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** E-mails through the outbox to a real SMTP server (GreenMail), with retries while it is down. */
@BestowTest
class MailIntegrationTests {

    @RegisterExtension
    static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP);

    @LocalServerPort
    int port;

    @Autowired
    IdentityFixtures identity;

    @Autowired
    MailManagement mails;

    TestApi api;
    ProjectId project;

    @BeforeEach
    void tenant() {
        var tenant = identity.tenant(port);
        api = tenant.api();
        project = tenant.project();
    }

    @Test
    void deliversAMailOverSmtpAndKeepsItInTheOutbox() throws Exception {
        var mail = mails.send(
                project,
                new Mail.Draft(
                        "claire@example.com",
                        "Your code",
                        "Your code is 123456",
                        "<p>Your code is <b>123456</b></p>",
                        "test.code",
                        "ref_1"));

        assertThat(mail.status()).isEqualTo("queued");
        assertThat(smtp.waitForIncomingEmail(10_000, 1)).isTrue();
        var received = smtp.getReceivedMessages()[0];
        assertThat(received.getSubject()).isEqualTo("Your code");
        assertThat(received.getAllRecipients()[0].toString()).isEqualTo("claire@example.com");
        assertThat(GreenMailUtil.getBody(received)).contains("123456");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                        api.get("/v1/outbox/" + mail.id()).json().get("status").asString())
                .isEqualTo("sent"));
        var outbox = api.get("/v1/outbox?to=claire@example.com").json();
        assertThat(outbox.get("total").asInt()).isEqualTo(1);
        assertThat(outbox.get("mails").get(0).get("purpose").asString()).isEqualTo("test.code");
        assertError(identity.keyFor(project, Role.MEMBER, port).get("/v1/outbox"), 403, "forbidden");
        assertError(identity.tenant(port).api().get("/v1/outbox/" + mail.id()), 404, "not_found");
    }

    @Test
    void retriesWhileTheSmtpServerIsDown() throws Exception {
        smtp.stop();
        var mail = mails.send(project, new Mail.Draft("jonas@example.com", "Hello", "Hello", null, "test.retry", null));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                        api.get("/v1/outbox/" + mail.id()).json().path("error").isString())
                .isTrue());

        smtp.start();

        assertThat(smtp.waitForIncomingEmail(15_000, 1)).isTrue();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                        api.get("/v1/outbox/" + mail.id()).json().get("status").asString())
                .isEqualTo("sent"));
        assertThat(api.get("/v1/outbox/" + mail.id()).json().get("attempts").asInt())
                .isGreaterThan(1);
    }
}
