/**
 * Campaigns: discount-coupon, gift-voucher, referral and promotion programs, with the template their codes follow
 * (discount or gift, code pattern, redemption limits), their dates, active state and CEL validation rules.
 */
@ApplicationModule(displayName = "Campaigns")
@NullMarked
package io.bestow.campaigns;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
