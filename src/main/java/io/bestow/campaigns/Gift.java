package io.bestow.campaigns;

import org.jspecify.annotations.Nullable;

/** The value of a gift voucher in minor units; redemptions draw its {@code balance} down. */
public record Gift(
        long amount, @Nullable Long balance, @Nullable String effect) {}
