/**
 * Codes: vouchers (generated for a campaign, imported or standalone), their publication to customers, validation
 * and redemption against an order, and rollbacks, with limits and gift balances kept exact under concurrency.
 */
@ApplicationModule(displayName = "Codes")
@NullMarked
package io.bestow.codes;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
