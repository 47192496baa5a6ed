package io.bestow.gifts;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where a send is, and where it may go next. E-gifts go {@code created → clicked → claimed}; physical gifts
 * {@code created → clicked → address_confirmed → processed → shipped → delivered} (straight to {@code processed}
 * when the address is known and needs no confirmation). Sends waiting for funds or an approval start as
 * {@code pending_funds} or {@code pending_approval} and go on as {@code approved}. Any send not yet claimed or
 * shipped can be {@code cancelled}, {@code expired} or {@code failed}; a shipped or delivered one can be
 * {@code returned}.
 */
public enum SendStatus {
    PENDING_FUNDS,
    PENDING_APPROVAL,
    CREATED,
    APPROVED,
    CLICKED,
    CLAIMED,
    ADDRESS_CONFIRMED,
    PROCESSED,
    SHIPPED,
    DELIVERED,
    CANCELLED,
    RETURNED,
    EXPIRED,
    FAILED;

    /** The statuses a provider (or the recipient's side) reports; the rest are Bestow's own decisions. */
    public static final Set<SendStatus> REPORTABLE =
            EnumSet.of(CLICKED, CLAIMED, ADDRESS_CONFIRMED, PROCESSED, SHIPPED, DELIVERED, RETURNED, CANCELLED, FAILED);

    /** The statuses a send can expire from: handed out, but not yet claimed or confirmed. */
    static final Set<SendStatus> EXPIRABLE = EnumSet.of(CREATED, APPROVED, CLICKED);

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SendStatus> parse(String value) {
        for (var status : values()) {
            if (status.value().equals(value)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }

    public boolean pending() {
        return this == PENDING_FUNDS || this == PENDING_APPROVAL;
    }

    public boolean terminal() {
        return switch (this) {
            case CLAIMED, DELIVERED, CANCELLED, RETURNED, EXPIRED, FAILED -> true;
            default -> false;
        };
    }

    /** Whether a send of this gift type (and address confirmation) may go from this status to {@code next}. */
    public boolean canMoveTo(SendStatus next, Gift.Type type, boolean confirmAddress) {
        return switch (type) {
            case EGIFT ->
                switch (this) {
                    case PENDING_FUNDS, PENDING_APPROVAL -> next == APPROVED || next == CANCELLED;
                    case CREATED, APPROVED ->
                        Set.of(CLICKED, CLAIMED, EXPIRED, CANCELLED, FAILED).contains(next);
                    case CLICKED -> Set.of(CLAIMED, EXPIRED, CANCELLED, FAILED).contains(next);
                    default -> false;
                };
            case PHYSICAL ->
                switch (this) {
                    case PENDING_FUNDS, PENDING_APPROVAL -> next == APPROVED || next == CANCELLED;
                    case CREATED, APPROVED ->
                        Set.of(CLICKED, ADDRESS_CONFIRMED, CANCELLED, FAILED).contains(next)
                                || (next == PROCESSED && !confirmAddress)
                                || (next == EXPIRED && confirmAddress);
                    case CLICKED ->
                        Set.of(ADDRESS_CONFIRMED, CANCELLED, FAILED).contains(next)
                                || (next == PROCESSED && !confirmAddress)
                                || (next == EXPIRED && confirmAddress);
                    case ADDRESS_CONFIRMED ->
                        Set.of(PROCESSED, CANCELLED, FAILED).contains(next);
                    case PROCESSED -> Set.of(SHIPPED, CANCELLED, FAILED).contains(next);
                    case SHIPPED -> next == DELIVERED || next == RETURNED;
                    case DELIVERED -> next == RETURNED;
                    default -> false;
                };
        };
    }

    /** Where the send's money goes when it enters this status. */
    enum Money {
        NONE,
        HOLD,
        CAPTURE,
        /** Released when held, refunded when captured. */
        GIVE_BACK
    }

    Money money(Gift.Type type) {
        return switch (this) {
            case APPROVED -> Money.HOLD;
            case CLAIMED -> type == Gift.Type.EGIFT ? Money.CAPTURE : Money.NONE;
            case ADDRESS_CONFIRMED, PROCESSED -> type == Gift.Type.PHYSICAL ? Money.CAPTURE : Money.NONE;
            case CANCELLED, EXPIRED, FAILED, RETURNED -> Money.GIVE_BACK;
            default -> Money.NONE;
        };
    }
}
