package org.vheap.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LineageTest {

    @Test
    void parsesAndPrintsPostgresText() {
        assertThat(Lineage.parse("{}").isEmpty()).isTrue();
        Lineage l = Lineage.parse("{[1,5),[7,8)}");
        assertThat(l.toString()).isEqualTo("{[1,5),[7,8)}");
        assertThat(l.upper()).isEqualTo(8);
        assertThat(l.contains(1)).isTrue();
        assertThat(l.contains(4)).isTrue();
        assertThat(l.contains(5)).isFalse();
        assertThat(l.contains(6)).isFalse();
        assertThat(l.contains(7)).isTrue();
        assertThat(l.contains(8)).isFalse();
    }

    @Test
    void plusJoinsAdjacentEpochsAndForksOtherwise() {
        Lineage l = Lineage.empty().plus(1, 1);
        assertThat(l).hasToString("{[1,2)}");
        assertThat(l.plus(2, 2)).hasToString("{[1,3)}");
        assertThat(l.plus(2, 5)).hasToString("{[1,6)}");
        assertThat(l.plus(4, 4)).hasToString("{[1,2),[4,5)}");
        assertThatThrownBy(() -> l.plus(0, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lineage.parse("[1,2)")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unionAndComplement() {
        Lineage a = Lineage.parse("{[1,3),[7,9)}");
        Lineage b = Lineage.parse("{[2,5),[9,10),[20,21)}");
        assertThat(a.union(b)).hasToString("{[1,5),[7,10),[20,21)}");
        assertThat(a.union(Lineage.empty())).isEqualTo(a);
        assertThat(a.complement()).hasToString("{[0,1),[3,7),[9," + Long.MAX_VALUE + ")}");
        assertThat(Lineage.empty().complement()).hasToString("{[0," + Long.MAX_VALUE + ")}");
        assertThat(a.complement().complement()).isEqualTo(a);
        for (long e = 0; e < 12; e++) {
            assertThat(a.complement().contains(e)).isEqualTo(!a.contains(e));
        }
    }

    @Test
    void withoutLastDropsTheNewestEpoch() {
        assertThat(Lineage.parse("{[1,5)}").withoutLast()).hasToString("{[1,4)}");
        assertThat(Lineage.parse("{[1,3),[7,8)}").withoutLast()).hasToString("{[1,3)}");
        assertThat(Lineage.empty().withoutLast().isEmpty()).isTrue();
    }

    @Test
    void newestWithinFindsTheVersionAViewSees() {
        long[] versions = {2, 5, 7, 9, 12};
        assertThat(Lineage.parse("{[1,10)}").newestWithin(versions)).isEqualTo(3);         // 9
        assertThat(Lineage.parse("{[1,9)}").newestWithin(versions)).isEqualTo(2);          // 7: hi is exclusive
        assertThat(Lineage.parse("{[1,6),[10,12)}").newestWithin(versions)).isEqualTo(1); // a fork skips 7 and 9
        assertThat(Lineage.parse("{[1,6),[12,13)}").newestWithin(versions)).isEqualTo(4); // the newest range first
        assertThat(Lineage.parse("{[3,5),[10,12)}").newestWithin(versions)).isEqualTo(-1);
        assertThat(Lineage.empty().newestWithin(versions)).isEqualTo(-1);
        assertThat(Lineage.parse("{[1,100)}").newestWithin(new long[0])).isEqualTo(-1);
        for (long epoch = 0; epoch < 15; epoch++) {   // against a linear scan
            Lineage view = Lineage.parse("{[" + epoch + "," + (epoch + 3) + ")}");
            int expected = -1;
            for (int i = 0; i < versions.length; i++) {
                if (view.contains(versions[i])) {
                    expected = i;
                }
            }
            assertThat(view.newestWithin(versions)).as("%s", view).isEqualTo(expected);
        }
    }
}
