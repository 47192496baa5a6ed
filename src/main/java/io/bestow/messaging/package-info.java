/**
 * Messaging: e-mails to customers (one-time codes, gift e-mails) through an outbox, delivered over SMTP when one is
 * configured and kept for admins to read when not.
 */
@ApplicationModule(displayName = "Messaging")
@NullMarked
package io.bestow.messaging;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
