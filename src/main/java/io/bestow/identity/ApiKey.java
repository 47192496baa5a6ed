package io.bestow.identity;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** An API key pair as the API shows it: the app id in clear, the token only as its last four characters. */
public record ApiKey(
        String id,
        String object,
        String name,
        String appId,
        String appTokenLast4,
        Role role,
        Instant createdAt,
        @Nullable Instant revokedAt,
        @Nullable Instant lastUsedAt) {

    public boolean revoked() {
        return revokedAt != null;
    }
}
