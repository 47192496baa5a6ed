package io.bestow.shared.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.bestow.shared.TokenBucket;
import org.junit.jupiter.api.Test;

class RateLimitingTests {

    @Test
    void allowsTheBurstThenAsksToWaitUntilATokenRefills() {
        var bucket = new TokenBucket(2, 0);
        assertThat(bucket.take(10, 2, 0)).isZero();
        assertThat(bucket.take(10, 2, 0)).isZero();
        assertThat(bucket.take(10, 2, 0)).isEqualTo(100);
        assertThat(bucket.take(10, 2, 100)).isZero();
    }

    @Test
    void neverStoresMoreThanTheBurst() {
        var bucket = new TokenBucket(2, 0);
        bucket.take(1, 2, 0);
        assertThat(bucket.take(1, 2, 60_000)).isZero();
        assertThat(bucket.take(1, 2, 60_000)).isZero();
        assertThat(bucket.take(1, 2, 60_000)).isPositive();
    }
}
