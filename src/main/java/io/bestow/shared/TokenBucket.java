package io.bestow.shared;

/** A rate limit's bucket: tokens refill continuously at the rate, up to the burst. */
public final class TokenBucket {

    private double tokens;
    private long lastRefill;

    public TokenBucket(double tokens, long now) {
        this.tokens = tokens;
        this.lastRefill = now;
    }

    /** Takes a token and returns 0, or returns how many milliseconds until one is available. */
    public synchronized long take(double perSecond, double burst, long now) {
        tokens = Math.min(burst, tokens + (now - lastRefill) * perSecond / 1000.0);
        lastRefill = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) * 1000.0 / perSecond);
    }
}
