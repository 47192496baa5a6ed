/** Projects (tenants), their API keys, console users with roles, and how callers authenticate. */
@ApplicationModule(displayName = "Identity")
@NullMarked
package io.bestow.identity;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
