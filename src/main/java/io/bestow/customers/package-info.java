/**
 * Customer profiles kept in sync with a CRM (upsert by {@code source_id}), their timeline of custom events,
 * milestones, segments defined by CEL filters, and bulk CSV import and export.
 */
@ApplicationModule(displayName = "Customers")
@NullMarked
package io.bestow.customers;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
