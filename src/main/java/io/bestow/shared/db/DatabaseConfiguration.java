package io.bestow.shared.db;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Chooses the database: {@code BESTOW_DB_URL}, then {@code spring.datasource.url}, and when neither is set a real
 * PostgreSQL 17 started from the data directory, so that Bestow runs with no setup at all.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({DatabaseProperties.class, DataSourceProperties.class})
class DatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);
    private static final String NO_EXTERNAL_DATABASE =
            "'${bestow.db.url:}'.isBlank() && '${spring.datasource.url:}'.isBlank()";

    @Bean(destroyMethod = "close")
    @ConditionalOnExpression(NO_EXTERNAL_DATABASE)
    EmbeddedPostgres embeddedPostgres(DatabaseProperties properties, @Value("${bestow.data-dir}") Path dataDir)
            throws IOException {
        var directory = dataDir.toAbsolutePath().normalize().resolve("postgres");
        Files.createDirectories(directory);
        long started = System.nanoTime();
        var postgres = EmbeddedPostgres.builder()
                .setDataDirectory(directory)
                .setCleanDataDirectory(false)
                // Spring stops it after everything that uses it; a JVM hook of its own would stop it too early.
                .setRegisterShutdownHook(false)
                .setPort(properties.embeddedPort())
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("max_connections", "200")
                // Bulk jobs write a lot of WAL; room for it avoids checkpoints (and full-page writes) every few
                // seconds.
                .setServerConfig("shared_buffers", "256MB")
                .setServerConfig("max_wal_size", "4GB")
                .setServerConfig("checkpoint_timeout", "15min")
                // Tables that grow from nothing in bulk (an import, a program's enrollment) get their statistics
                // within seconds rather than a minute: until then their queries are planned as for empty tables.
                .setServerConfig("autovacuum_naptime", "10s")
                .setPGStartupWait(Duration.ofSeconds(30))
                .start();
        log.info(
                "Embedded PostgreSQL started on port {} with data in {} ({} ms)",
                postgres.getPort(),
                directory,
                (System.nanoTime() - started) / 1_000_000);
        return postgres;
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(
            DatabaseProperties bestow, DataSourceProperties spring, ObjectProvider<EmbeddedPostgres> embedded) {
        var dataSource = new HikariDataSource();
        var postgres = embedded.getIfAvailable();
        if (postgres != null) {
            dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
            dataSource.setUsername("postgres");
        } else if (bestow.external()) {
            dataSource.setJdbcUrl(bestow.url());
            dataSource.setUsername(bestow.user());
            dataSource.setPassword(bestow.password());
        } else {
            dataSource.setJdbcUrl(spring.getUrl());
            dataSource.setUsername(spring.getUsername());
            dataSource.setPassword(spring.getPassword());
        }
        dataSource.setPoolName("bestow");
        return dataSource;
    }
}
