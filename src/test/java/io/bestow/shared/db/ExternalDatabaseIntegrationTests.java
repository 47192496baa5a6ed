package io.bestow.shared.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.bestow.Bestow;
import io.bestow.TestApi;
import io.bestow.identity.IdentityFixtures;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** With {@code BESTOW_DB_URL} set, Bestow uses that PostgreSQL and starts none of its own. */
class ExternalDatabaseIntegrationTests {

    @TempDir
    Path dataDir;

    @Test
    void usesTheConfiguredDatabaseInsteadOfAnEmbeddedOne() throws Exception {
        try (var external = EmbeddedPostgres.builder().start()) {
            var url = external.getJdbcUrl("postgres", "postgres");
            try (var context = new SpringApplicationBuilder(Bestow.class)
                    .profiles("test")
                    .run(
                            "--bestow.data-dir=" + dataDir,
                            "--server.port=0",
                            "--bestow.db.url=" + url,
                            "--bestow.db.user=postgres")) {
                assertThat(context.getBeanNamesForType(EmbeddedPostgres.class)).isEmpty();
                assertThat(Files.exists(dataDir.resolve("postgres"))).isFalse();

                int port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
                var project = TestApi.at(port)
                        .as(IdentityFixtures.BOOTSTRAP_APP_ID, IdentityFixtures.BOOTSTRAP_APP_TOKEN)
                        .get("/v1/project");
                assertThat(project.status()).isEqualTo(200);
            }
            try (var connection = external.getPostgresDatabase().getConnection();
                    var rows = connection
                            .createStatement()
                            .executeQuery("SELECT count(*) FROM identity.projects WHERE is_default")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(1);
            }
        }
    }
}
