/**
 * Gift links: claim links an admin hands out, which only the intended recipient can redeem (a customer of the
 * project with the fields the gift needs, verified by a one-time code sent to their e-mail), once per recipient per
 * campaign.
 */
@ApplicationModule(displayName = "Gift links")
@NullMarked
package io.bestow.giftlinks;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
