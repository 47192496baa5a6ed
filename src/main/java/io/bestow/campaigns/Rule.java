package io.bestow.campaigns;

import org.jspecify.annotations.Nullable;

/**
 * A validation rule: a CEL predicate over {@code customer}, {@code order} and {@code voucher} that must hold for a
 * code to validate or redeem, such as {@code order.amount >= 5000}, with the message a failure reports.
 */
public record Rule(String expression, @Nullable String message) {

    /** The variables a rule sees. */
    public static final String[] VARIABLES = {"customer", "order", "voucher"};
}
