package io.bestow.identity;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A console user of one project. */
public record User(
        String id,
        String object,
        String email,
        @Nullable String name,
        Role role,
        Instant createdAt,
        Instant updatedAt) {}
