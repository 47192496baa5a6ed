/**
 * The shared kernel every module builds on: ids, tenant context, the error model, pagination, idempotent
 * writes, the event envelope and the clock.
 */
@ApplicationModule(displayName = "Shared kernel")
@NullMarked
package io.bestow.shared;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
