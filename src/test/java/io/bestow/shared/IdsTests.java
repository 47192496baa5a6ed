package io.bestow.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IdsTests {

    @Test
    void makesPrefixedBase62IdsOfFixedLength() {
        var id = Ids.generate("cust");
        assertThat(id).startsWith("cust_").hasSize(5 + 22).matches("cust_[0-9A-Za-z]{22}");
    }

    @Test
    void idsMadeLaterSortAfterEarlierOnes() throws InterruptedException {
        var first = Ids.generate("evt");
        Thread.sleep(2);
        var second = Ids.generate("evt");
        assertThat(second).isGreaterThan(first);
        assertThat(Ids.generate("evt")).isNotEqualTo(Ids.generate("evt"));
    }

    @Test
    void writesA128BitNumberInBase62AsLongDivisionWould() {
        var random = new Random(62);
        var alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        for (int n = 0; n < 1_000; n++) {
            long high = n == 0 ? -1 : n == 1 ? 0 : random.nextLong();
            long low = n == 0 ? -1 : n == 1 ? 0 : random.nextLong();
            var value = new BigInteger(Long.toUnsignedString(high))
                    .shiftLeft(64)
                    .or(new BigInteger(Long.toUnsignedString(low)));
            var expected = new StringBuilder();
            for (int i = 0; i < 22; i++) {
                var division = value.divideAndRemainder(BigInteger.valueOf(62));
                expected.insert(0, alphabet.charAt(division[1].intValue()));
                value = division[0];
            }
            assertThat(Ids.base62(high, low)).isEqualTo(expected.toString());
        }
    }

    @Test
    void usesEveryCharacterOfTheAlphabetAndRepeatsNoId() {
        var seen = new HashSet<Character>();
        var ids = new HashSet<String>();
        for (int i = 0; i < 20_000; i++) {
            var random = Ids.random(22);
            random.chars().forEach(c -> seen.add((char) c));
            ids.add(random);
        }
        assertThat(seen).hasSize(62);
        assertThat(ids).hasSize(20_000);
    }
}
