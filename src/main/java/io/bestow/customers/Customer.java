package io.bestow.customers;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A customer as the API shows it (Voucherify's customer object, plus first and last name for gifting). */
public record Customer(
        String id,
        @Nullable String sourceId,
        @Nullable String name,
        @Nullable String firstName,
        @Nullable String lastName,
        @Nullable String email,
        @Nullable String phone,
        @Nullable String description,
        @Nullable LocalDate birthdate,
        Address address,
        Map<String, Object> metadata,
        Instant createdAt,
        Instant updatedAt) {

    /** A customer with an id and nothing else yet: the start of a new one, or what is left of an erased one. */
    static Customer bare(String id, Instant createdAt, Instant updatedAt) {
        return new Customer(
                id, null, null, null, null, null, null, null, null, Address.EMPTY, Map.of(), createdAt, updatedAt);
    }

    @JsonProperty("object")
    public String object() {
        return "customer";
    }

    /** Voucherify's older name for {@link #birthdate}, kept so that its SDKs read it. */
    @JsonProperty("birthday")
    public @Nullable LocalDate birthday() {
        return birthdate;
    }

    /** The customer as rules and segment filters see it: {@code customer.metadata.tier}, {@code customer.address.country}. */
    public Map<String, Object> asVariables() {
        var address = new LinkedHashMap<String, Object>();
        put(address, "city", this.address.city());
        put(address, "state", this.address.state());
        put(address, "line_1", this.address.line1());
        put(address, "line_2", this.address.line2());
        put(address, "country", this.address.country());
        put(address, "postal_code", this.address.postalCode());
        var customer = new LinkedHashMap<String, Object>();
        customer.put("id", id);
        put(customer, "source_id", sourceId);
        put(customer, "name", name);
        put(customer, "first_name", firstName);
        put(customer, "last_name", lastName);
        put(customer, "email", email);
        put(customer, "phone", phone);
        put(customer, "description", description);
        put(customer, "birthdate", birthdate == null ? null : birthdate.toString());
        customer.put("address", address);
        customer.put("metadata", metadata);
        customer.put("created_at", createdAt.toString());
        customer.put("updated_at", updatedAt.toString());
        return customer;
    }

    /** The same customer without the values that only change with time, for comparing content. */
    boolean sameContentAs(Customer other) {
        return Objects.equals(sourceId, other.sourceId)
                && Objects.equals(name, other.name)
                && Objects.equals(firstName, other.firstName)
                && Objects.equals(lastName, other.lastName)
                && Objects.equals(email, other.email)
                && Objects.equals(phone, other.phone)
                && Objects.equals(description, other.description)
                && Objects.equals(birthdate, other.birthdate)
                && address.equals(other.address)
                && metadata.equals(other.metadata);
    }

    private static void put(Map<String, Object> map, String key, @Nullable Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
