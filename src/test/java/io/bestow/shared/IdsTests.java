package io.bestow.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
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
