package io.bestow.shared;

import java.sql.Timestamp;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Nullable conversions between JDBC timestamps and instants, for the repositories' row mappers and parameters. */
public final class SqlTimes {

    private SqlTimes() {}

    public static @Nullable Timestamp timestamp(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    public static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
