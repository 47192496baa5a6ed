/**
 * The event stream every other system hears Bestow through: the ordered feed of project events, redacted when a
 * customer is erased.
 */
@ApplicationModule(displayName = "Webhooks and event stream")
@NullMarked
package io.bestow.webhooks;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
