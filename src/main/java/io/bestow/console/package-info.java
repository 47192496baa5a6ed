/** The admin web console and the public pages, rendered on the server from the modules' APIs. */
@ApplicationModule(displayName = "Console")
@NullMarked
package io.bestow.console;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
