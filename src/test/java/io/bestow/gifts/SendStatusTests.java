package io.bestow.gifts;

import static io.bestow.gifts.SendStatus.ADDRESS_CONFIRMED;
import static io.bestow.gifts.SendStatus.APPROVED;
import static io.bestow.gifts.SendStatus.CANCELLED;
import static io.bestow.gifts.SendStatus.CLAIMED;
import static io.bestow.gifts.SendStatus.CLICKED;
import static io.bestow.gifts.SendStatus.CREATED;
import static io.bestow.gifts.SendStatus.DELIVERED;
import static io.bestow.gifts.SendStatus.EXPIRED;
import static io.bestow.gifts.SendStatus.PENDING_FUNDS;
import static io.bestow.gifts.SendStatus.PROCESSED;
import static io.bestow.gifts.SendStatus.RETURNED;
import static io.bestow.gifts.SendStatus.SHIPPED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The send lifecycles as state machines: only the legal transitions, and where the money goes. */
class SendStatusTests {

    @Test
    void letsAnEGiftGoFromCreatedThroughClickedToClaimedOnly() {
        assertThat(path(Gift.Type.EGIFT, false, CREATED, CLICKED, CLAIMED)).isTrue();
        assertThat(CLAIMED.canMoveTo(CANCELLED, Gift.Type.EGIFT, false)).isFalse();
        assertThat(CLAIMED.canMoveTo(EXPIRED, Gift.Type.EGIFT, false)).isFalse();
        assertThat(CREATED.canMoveTo(SHIPPED, Gift.Type.EGIFT, false)).isFalse();
        assertThat(CLICKED.canMoveTo(EXPIRED, Gift.Type.EGIFT, false)).isTrue();
        assertThat(Arrays.stream(SendStatus.values()).filter(SendStatus::terminal))
                .allSatisfy(terminal -> assertThat(Arrays.stream(SendStatus.values())
                                .filter(next -> terminal.canMoveTo(next, Gift.Type.EGIFT, false)))
                        .isEmpty());
    }

    @Test
    void letsAPhysicalGiftShipOnlyAfterItsAddressIsConfirmedWhenItMustBe() {
        assertThat(path(Gift.Type.PHYSICAL, true, CREATED, CLICKED, ADDRESS_CONFIRMED, PROCESSED, SHIPPED, DELIVERED))
                .isTrue();
        assertThat(CREATED.canMoveTo(PROCESSED, Gift.Type.PHYSICAL, true)).isFalse();
        assertThat(CREATED.canMoveTo(PROCESSED, Gift.Type.PHYSICAL, false)).isTrue();
        assertThat(CREATED.canMoveTo(EXPIRED, Gift.Type.PHYSICAL, false)).isFalse();
        assertThat(SHIPPED.canMoveTo(CANCELLED, Gift.Type.PHYSICAL, false)).isFalse();
        assertThat(DELIVERED.canMoveTo(RETURNED, Gift.Type.PHYSICAL, false)).isTrue();
        assertThat(CREATED.canMoveTo(CLAIMED, Gift.Type.PHYSICAL, false)).isFalse();
    }

    @Test
    void movesMoneyOnlyWhereTheLifecycleSays() {
        assertThat(PENDING_FUNDS.canMoveTo(APPROVED, Gift.Type.EGIFT, false)).isTrue();
        assertThat(PENDING_FUNDS.canMoveTo(CLICKED, Gift.Type.EGIFT, false)).isFalse();
        assertThat(APPROVED.money(Gift.Type.EGIFT)).isEqualTo(SendStatus.Money.HOLD);
        assertThat(CLAIMED.money(Gift.Type.EGIFT)).isEqualTo(SendStatus.Money.CAPTURE);
        assertThat(ADDRESS_CONFIRMED.money(Gift.Type.PHYSICAL)).isEqualTo(SendStatus.Money.CAPTURE);
        assertThat(CLICKED.money(Gift.Type.PHYSICAL)).isEqualTo(SendStatus.Money.NONE);
        assertThat(List.of(CANCELLED, EXPIRED, RETURNED, SendStatus.FAILED))
                .allSatisfy(s -> assertThat(s.money(Gift.Type.PHYSICAL)).isEqualTo(SendStatus.Money.GIVE_BACK));
        assertThat(SendStatus.parse("address_confirmed")).contains(ADDRESS_CONFIRMED);
        assertThat(SendStatus.parse("ADDRESS_CONFIRMED")).isEmpty();
    }

    private static boolean path(Gift.Type type, boolean confirmAddress, SendStatus... statuses) {
        for (int i = 1; i < statuses.length; i++) {
            if (!statuses[i - 1].canMoveTo(statuses[i], type, confirmAddress)) {
                return false;
            }
        }
        return true;
    }
}
