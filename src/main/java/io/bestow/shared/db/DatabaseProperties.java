package io.bestow.shared.db;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the data lives: an external PostgreSQL when {@code url} is set ({@code BESTOW_DB_URL}), otherwise an
 * embedded PostgreSQL in the data directory.
 */
@ConfigurationProperties("bestow.db")
record DatabaseProperties(
        @Nullable String url,
        @Nullable String user,
        @Nullable String password,
        int embeddedPort) {

    boolean external() {
        return url != null && !url.isBlank();
    }
}
