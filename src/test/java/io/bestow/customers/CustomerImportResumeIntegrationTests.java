package io.bestow.customers;

import static org.assertj.core.api.Assertions.assertThat;

import io.bestow.BestowTest;
import io.bestow.identity.IdentityFixtures;
import io.bestow.shared.AsyncAction;
import io.bestow.shared.AsyncActions;
import io.bestow.shared.Uploads;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A job that stopped after some committed batches (a crash, a redeploy) continues after them, never before. */
@BestowTest
class CustomerImportResumeIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    AsyncActions actions;

    @Autowired
    Uploads uploads;

    @Autowired
    CustomerImport imports;

    @Test
    void resumesAfterTheRowsItHadAlreadyCommitted() throws Exception {
        var tenant = fixtures.tenant(port);
        var csv = "source_id,name\nr1,One\nr2,Two\nr3,Three\nr4,Four\nr5,Five\n";
        var stored = uploads.store(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)));
        var action = actions.create(tenant.project(), CustomerImport.TYPE);
        // As the job leaves it after committing a batch of two rows and dying before the next.
        actions.progress(
                action.id(),
                2,
                0,
                40,
                Map.of(
                        "upload_id",
                        stored.id(),
                        "size",
                        stored.size(),
                        "created",
                        2,
                        "updated",
                        0,
                        "errors",
                        java.util.List.of()));

        imports.run(action.id());

        var done = actions.find(action.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(AsyncAction.Status.DONE);
        assertThat(done.rowsDone()).isEqualTo(5);
        assertThat(done.result()).containsEntry("created", 5);
        var api = tenant.api();
        assertThat(api.get("/v1/customers/r1").status()).isEqualTo(404);
        assertThat(api.get("/v1/customers/r2").status()).isEqualTo(404);
        assertThat(api.get("/v1/customers/r3").json().get("name").asString()).isEqualTo("Three");
        assertThat(api.get("/v1/customers/r5").status()).isEqualTo(200);
    }
}
