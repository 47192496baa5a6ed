/**
 * Budgets: wallets owned by a team, a sender or a campaign, on a double-entry, append-only ledger of top-ups, holds,
 * captures, releases, refunds and adjustments, whose balances the database keeps from ever going below zero.
 */
@ApplicationModule(displayName = "Budgets")
@NullMarked
package io.bestow.budgets;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
