/**
 * Journeys: programs that enter customers on a trigger (an event, a segment, a milestone, a timeline entry, a
 * schedule or by hand) and walk each through a graph of steps (call an external API, send a gift, issue a code, send
 * a message, create a task, wait, branch, update the customer), durably and once, on every node.
 */
@ApplicationModule(displayName = "Journeys")
@NullMarked
package io.bestow.journeys;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
