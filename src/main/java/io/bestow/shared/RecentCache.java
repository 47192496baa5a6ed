package io.bestow.shared;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What this node read recently, for a short time: hot paths read rarely changing rows (a gift, an API key) once per
 * time-to-live instead of once per request. A change made on this node is forgotten when its transaction commits;
 * other nodes see it once their copy runs out.
 */
public final class RecentCache<K, V> {

    private record Entry<V>(V value, Instant until) {}

    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final Clock clock;

    public RecentCache(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The remembered value, or what the loader finds (remembered when present). */
    public Optional<V> get(K key, Function<K, Optional<V>> loader) {
        var now = clock.instant();
        var known = entries.get(key);
        if (known != null && known.until().isAfter(now)) {
            return Optional.of(known.value());
        }
        var loaded = loader.apply(key);
        loaded.ifPresentOrElse(value -> entries.put(key, new Entry<>(value, now.plus(ttl))), () -> entries.remove(key));
        return loaded;
    }

    /** Replaces a remembered value (keeping its expiry) if there is one. */
    public void refresh(K key, V value) {
        entries.computeIfPresent(key, (k, known) -> new Entry<>(value, known.until()));
    }

    /** Forgets the key now and again when the current transaction commits (so no read in between sticks). */
    public void forgetAfterCommit(K key) {
        entries.remove(key);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    entries.remove(key);
                }
            });
        }
    }
}
