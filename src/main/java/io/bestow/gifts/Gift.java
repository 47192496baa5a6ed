package io.bestow.gifts;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A catalog item: an e-gift (a gift card or code of a face value) or a physical item shipped to the recipient. A
 * send of it costs {@code cost} plus {@code shipping_cost}; {@code provider} fulfils it ({@code sandbox}, or
 * {@code connector} through the external action {@code action_id}, which gets {@code provider_ref} as the
 * provider's own item id, such as a Sendoso touch id).
 */
public record Gift(
        String id,
        String name,
        Type type,
        long cost,
        long shippingCost,
        String currency,
        @Nullable Long faceValue,
        @Nullable String sku,
        List<String> shipsTo,
        String provider,
        @Nullable String actionId,
        @Nullable String providerRef,
        boolean active,
        @Nullable String imageUrl,
        @Nullable String description,
        Map<String, Object> metadata,
        Instant createdAt,
        Instant updatedAt) {

    /** What kind of gift it is; the kind decides its lifecycle and the recipient fields it needs. */
    public enum Type {
        EGIFT,
        PHYSICAL
    }

    public static final String SANDBOX = "sandbox";
    public static final String CONNECTOR = "connector";

    @JsonProperty("object")
    public String object() {
        return "gift";
    }

    /** What one send of it takes from a budget. */
    public long sendCost() {
        return cost + shippingCost;
    }

    public boolean shipsTo(String country) {
        return shipsTo.contains(country);
    }
}
