package io.bestow.connectors;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Per connector and per node: a rate limiter (the connector's {@code rate_limit_per_second}, unlimited when unset)
 * and a circuit breaker, which opens when at least half of the last 10 calls (5 at least) failed with a network
 * error, a timeout, 429 or 5xx, refuses calls for 30 seconds, then lets one trial call through.
 */
@Component
class ConnectorLimits {

    static final Duration OPEN_FOR = Duration.ofSeconds(30);

    /** A wait longer than this for a rate limit's permit fails the attempt (it may then be retried). */
    private static final Duration MAX_WAIT = Duration.ofSeconds(10);

    private static final CircuitBreakerConfig BREAKER = CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(10)
            .minimumNumberOfCalls(5)
            .failureRateThreshold(50)
            .waitDurationInOpenState(OPEN_FOR)
            .permittedNumberOfCallsInHalfOpenState(1)
            .build();

    private record Limits(
            @Nullable Integer perSecond, @Nullable RateLimiter rateLimiter, CircuitBreaker breaker) {}

    private final Map<String, Limits> limits = new ConcurrentHashMap<>();

    CircuitBreaker breaker(Connector connector) {
        return of(connector).breaker();
    }

    /** Waits for the connector's rate limit to allow a call; false when that would take too long. */
    boolean permit(Connector connector) {
        var limiter = of(connector).rateLimiter();
        return limiter == null || limiter.acquirePermission();
    }

    private Limits of(Connector connector) {
        return limits.compute(connector.id(), (id, existing) -> {
            if (existing != null && Objects.equals(existing.perSecond(), connector.rateLimitPerSecond())) {
                return existing;
            }
            var breaker = existing != null ? existing.breaker() : CircuitBreaker.of(id, BREAKER);
            var perSecond = connector.rateLimitPerSecond();
            var limiter = perSecond == null
                    ? null
                    : RateLimiter.of(
                            id,
                            RateLimiterConfig.custom()
                                    .limitForPeriod(perSecond)
                                    .limitRefreshPeriod(Duration.ofSeconds(1))
                                    .timeoutDuration(MAX_WAIT)
                                    .build());
            return new Limits(perSecond, limiter, breaker);
        });
    }
}
