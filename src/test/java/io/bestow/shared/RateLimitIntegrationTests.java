package io.bestow.shared;

import static org.assertj.core.api.Assertions.assertThat;

import io.bestow.ApiAssertions;
import io.bestow.BestowTest;
import io.bestow.TestApi;
import io.bestow.identity.IdentityFixtures;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

@BestowTest
@TestPropertySource(properties = {"bestow.api.rate-limit-per-second=1", "bestow.api.rate-limit-burst=3"})
class RateLimitIntegrationTests {

    @LocalServerPort
    int port;

    @Test
    void answers429WithRetryAfterPastTheBurst() {
        var api = TestApi.at(port).as(IdentityFixtures.BOOTSTRAP_APP_ID, IdentityFixtures.BOOTSTRAP_APP_TOKEN);
        var responses = new ArrayList<TestApi.Response>();
        for (int i = 0; i < 6; i++) {
            responses.add(api.get("/v1/project"));
        }
        assertThat(responses.subList(0, 3)).allMatch(r -> r.status() == 200);
        var limited = responses.getLast();
        ApiAssertions.assertError(limited, 429, "too_many_requests");
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 2);
    }
}
