package io.bestow.shared.web;

import io.bestow.shared.Actor;
import io.bestow.shared.ApiError;
import io.bestow.shared.TokenBucket;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Limits each caller (API key or console user) to a steady rate of API requests with a burst allowance, per node.
 * Past it the caller gets 429 with {@code Retry-After}.
 */
@Component
@Order(10)
class RateLimiting extends OncePerRequestFilter {

    private final ConcurrentMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final double perSecond;
    private final double burst;
    private final Clock clock;

    RateLimiting(
            @Value("${bestow.api.rate-limit-per-second}") double perSecond,
            @Value("${bestow.api.rate-limit-burst}") double burst,
            Clock clock) {
        this.perSecond = perSecond;
        this.burst = Math.max(burst, 1);
        this.clock = clock;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/v1/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var actor = Actor.current();
        if (actor.isPresent()) {
            var bucket = buckets.computeIfAbsent(actor.get().id(), id -> new TokenBucket(burst, clock.millis()));
            long waitMillis = bucket.take(perSecond, burst, clock.millis());
            if (waitMillis > 0) {
                response.setHeader("Retry-After", String.valueOf(Math.max(1, (waitMillis + 999) / 1000)));
                ApiError.write(
                        response,
                        HttpStatus.TOO_MANY_REQUESTS,
                        "too_many_requests",
                        "Rate limit exceeded: at most %.0f requests per second".formatted(perSecond),
                        null);
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
