package io.bestow.gifts;

import io.bestow.customers.Customer;
import io.bestow.shared.ProjectId;
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
     * Hands a funded send to the provider. Called again after a failure or a crash until it succeeds, so it must be
     * safe to repeat for the same send (the send's id is the idempotency key).
     *
     * @return the provider's reference for the send, if it gives one
     * @throws RuntimeException to have the hand-over retried later
     */
    @Nullable
    String dispatch(ProjectId project, Send send, Gift gift, Customer recipient);
}
