package io.bestow.campaigns;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A discount as Voucherify describes it: {@code AMOUNT} ({@code amount_off} in minor units), {@code PERCENT}
 * ({@code percent_off}, optionally capped by {@code amount_limit}), {@code UNIT} ({@code unit_off} free items of the
 * product {@code unit_type}) or {@code FIXED} (the order costs {@code fixed_amount}).
 */
public record Discount(
        String type,
        @Nullable Long amountOff,
        @Nullable BigDecimal percentOff,
        @Nullable Long amountLimit,
        @Nullable Long unitOff,
        @Nullable String unitType,
        @Nullable Long fixedAmount,
        @Nullable String effect) {

    public static final List<String> TYPES = List.of("AMOUNT", "PERCENT", "UNIT", "FIXED");

    /** Checks that the fields the type needs are there and in range; problems go into the map by field path. */
    void check(String path, Map<String, String> problems) {
        if (type == null) {
            problems.put(path + ".type", "must be one of " + TYPES);
            return;
        }
        switch (type) {
            case "AMOUNT" -> {
                if (amountOff == null || amountOff < 0) {
                    problems.put(path + ".amount_off", "must be an amount in minor units, 0 or more");
                }
            }
            case "PERCENT" -> {
                if (percentOff == null
                        || percentOff.signum() < 0
                        || percentOff.compareTo(BigDecimal.valueOf(100)) > 0) {
                    problems.put(path + ".percent_off", "must be a number from 0 to 100");
                }
                if (amountLimit != null && amountLimit < 0) {
                    problems.put(path + ".amount_limit", "must be an amount in minor units, 0 or more");
                }
            }
            case "UNIT" -> {
                if (unitOff == null || unitOff < 1) {
                    problems.put(path + ".unit_off", "must be 1 or more");
                }
                if (unitType == null || unitType.isBlank()) {
                    problems.put(path + ".unit_type", "must name the product given for free");
                }
            }
            case "FIXED" -> {
                if (fixedAmount == null || fixedAmount < 0) {
                    problems.put(path + ".fixed_amount", "must be an amount in minor units, 0 or more");
                }
            }
            default -> problems.put(path + ".type", "must be one of " + TYPES);
        }
    }

    /**
     * The discount on an order of the given amount, never more than the amount itself.
     *
     * @param unitPrice the price of one item of {@link #unitType} in the order, for {@code UNIT} discounts
     */
    public long amountFor(long orderAmount, long unitPrice, long unitsInOrder) {
        long discount =
                switch (type) {
                    case "AMOUNT" -> amountOff == null ? 0 : amountOff;
                    case "PERCENT" -> {
                        long off = BigDecimal.valueOf(orderAmount)
                                .multiply(percentOff == null ? BigDecimal.ZERO : percentOff)
                                .divide(BigDecimal.valueOf(100), 0, RoundingMode.HALF_UP)
                                .longValue();
                        yield amountLimit == null ? off : Math.min(off, amountLimit);
                    }
                    case "UNIT" -> Math.min(unitOff == null ? 0 : unitOff, unitsInOrder) * unitPrice;
                    case "FIXED" -> Math.max(0, orderAmount - (fixedAmount == null ? 0 : fixedAmount));
                    default -> throw new IllegalStateException("Unknown discount type " + type);
                };
        return Math.max(0, Math.min(discount, orderAmount));
    }
}
