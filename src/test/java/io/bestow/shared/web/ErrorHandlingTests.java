package io.bestow.shared.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DeadlockLoserDataAccessException;

/** Errors that are nobody's mistake: the request can simply be sent again. */
class ErrorHandlingTests {

    @Test
    void aLostLockConflictAsksForTheRequestAgainWithoutBeingStoredAsAnIdempotentReply() {
        var handling = new ErrorHandling();
        for (var conflict : List.of(
                new DeadlockLoserDataAccessException("deadlock detected", null),
                new CannotAcquireLockException("lock timeout"))) {
            var response = handling.on(conflict);
            assertThat(response.getStatusCode().value()).isEqualTo(503);
            assertThat(response.getHeaders().getFirst("Retry-After")).isEqualTo("1");
            assertThat(response.getBody().key()).isEqualTo("try_again");
        }
    }
}
