package io.bestow.budgets;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A wallet as the API shows it. Money is in minor units of the wallet's one currency: {@code available} can be
 * spent, {@code held} is reserved for sends in flight, {@code spent} has been captured; the balance is available
 * plus held.
 */
public record Budget(
        String id,
        String name,
        Owner owner,
        String currency,
        long available,
        long held,
        long spent,
        @Nullable Long perRecipientAnnualCap,
        @Nullable Long lowBalanceThreshold,
        @Nullable Long approvalThreshold,
        Map<String, Object> metadata,
        Instant createdAt,
        Instant updatedAt) {

    /** Who a wallet belongs to: a team (any name), a sender (a user id) or a campaign. */
    public record Owner(String type, String id) {

        public static final String TEAM = "team";
        public static final String SENDER = "sender";
        public static final String CAMPAIGN = "campaign";
    }

    @JsonProperty("object")
    public String object() {
        return "budget";
    }

    @JsonProperty("balance")
    public long balance() {
        return available + held;
    }

    /** Whether a send of this cost must wait for an admin's approval. */
    public boolean needsApproval(long cost) {
        return approvalThreshold != null && cost > approvalThreshold;
    }
}
