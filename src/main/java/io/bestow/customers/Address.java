package io.bestow.customers;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** A customer's postal address; {@code country} is an ISO 3166-1 alpha-2 code. */
public record Address(
        @Nullable String city,
        @Nullable String state,
        @JsonProperty("line_1") @Nullable String line1,
        @JsonProperty("line_2") @Nullable String line2,
        @Nullable String country,
        @Nullable String postalCode) {

    static final Address EMPTY = new Address(null, null, null, null, null, null);
}
