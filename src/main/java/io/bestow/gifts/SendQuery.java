package io.bestow.gifts;

import org.jspecify.annotations.Nullable;

/** Which sends to list: by status, gift, budget, customer, sender and campaign, each optional. */
public record SendQuery(
        @Nullable String status,
        @Nullable String giftId,
        @Nullable String budgetId,
        @Nullable String customerId,
        @Nullable String senderId,
        @Nullable String campaign) {

    public static SendQuery withStatus(@Nullable String status) {
        return new SendQuery(status, null, null, null, null, null);
    }
}
