/**
 * Referrals: a referee converts a referrer's code once per campaign (by redeeming it, or through a custom event),
 * and the referrer is rewarded with a code of another campaign or gift-voucher credit, within an optional cap.
 */
@ApplicationModule(displayName = "Referrals")
@NullMarked
package io.bestow.referrals;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
