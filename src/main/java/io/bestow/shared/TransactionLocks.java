package io.bestow.shared;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Named locks held until the current transaction ends (PostgreSQL advisory locks), for serialising work that has no
 * row to lock yet: the first publication of a customer in a campaign, the rewards of one referrer.
 */
@Component
public class TransactionLocks {

    private final JdbcClient jdbc;

    TransactionLocks(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Waits until no other transaction holds the lock of this name, then holds it until this transaction ends. */
    public void lock(String name) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")
                .param(name)
                .query((rs, n) -> 1)
                .list();
    }
}
