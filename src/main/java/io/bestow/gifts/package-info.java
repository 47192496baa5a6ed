/**
 * Gifts: the catalog of e-gifts and physical items ("touches"), sends of them to customers paid from budgets, their
 * status lifecycles, and the fulfilment providers that carry them out.
 */
@ApplicationModule(displayName = "Gifts")
@NullMarked
package io.bestow.gifts;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
