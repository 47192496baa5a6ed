package io.bestow.gifts;

import io.bestow.customers.Customer;
import io.bestow.shared.ProjectId;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Carries sends out: orders the e-gift or ships the item. Status changes come back through
 * {@link SendManagement#report}, from the provider's callbacks ({@code POST /v1/sends/{id}/status}) or its own
 * schedule.
 */
interface FulfilmentProvider {

    /** The name gifts give as their {@code provider}. */
    String name();

    /**
     * Whether the provider calls nothing outside Bestow (the sandbox): its hand-over then happens inside the
     * transaction that funds the send, instead of after it.
     */
    default boolean local() {
        return false;
    }

    static Map<String, FulfilmentProvider> byName(List<FulfilmentProvider> providers) {
        return providers.stream().collect(Collectors.toMap(FulfilmentProvider::name, Function.identity()));
    }

    /**
     * Hands a funded send to the provider. Called again after a failure or a crash until it succeeds, so it must be
     * safe to repeat for the same send (the send's id is the idempotency key).
     *
     * @return the provider's reference for the send, if it gives one
     * @throws RuntimeException to have the hand-over retried later
     */
    @Nullable
    String dispatch(ProjectId project, Send send, Gift gift, Customer recipient);
}
