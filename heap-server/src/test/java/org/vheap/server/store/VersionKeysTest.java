package org.vheap.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Which versions of a line no view needs: each view needs the newest version within its lineage, no other. */
class VersionKeysTest {

    @Test
    void aVersionSurvivesWhileSomeViewSeesItAsTheNewest() {
        VersionKeys line = keys(7, 2, 5, 9, 12);
        VersionKeys unneeded = new VersionKeys();
        // checkpoints that end after 5 and after 12, a fork that skipped 9..11 and sees 12 over 5
        line.unneededBy(List.of(Lineage.parse("{[1,6)}"), Lineage.parse("{[1,13)}"), Lineage.parse("{[1,6),[12,13)}")),
                unneeded);
        assertThat(unneeded.size()).isEqualTo(2);
        assertThat(unneeded.lineIds(0, 2)).containsExactly(7, 7);
        assertThat(unneeded.epochs(0, 2)).containsExactly(2, 9);

        VersionKeys none = new VersionKeys();
        keys(3).unneededBy(List.of(Lineage.parse("{[1,13)}")), none);
        assertThat(none.size()).isZero();
        line.unneededBy(List.of(), none);
        assertThat(none.epochs(0, none.size())).as("no view: every version").containsExactly(2, 5, 9, 12);
    }

    @Test
    void matchesEveryViewAgainstEveryVersion() {
        Random random = new Random(11);
        for (int round = 0; round < 500; round++) {
            TreeSet<Long> epochs = new TreeSet<>();
            for (int i = random.nextInt(12); i > 0; i--) {
                epochs.add((long) 1 + random.nextInt(40));
            }
            List<Lineage> views = new ArrayList<>();
            for (int v = random.nextInt(5); v > 0; v--) {
                Lineage view = Lineage.empty();
                for (int r = 1 + random.nextInt(3); r > 0; r--) {
                    long lo = 1 + random.nextInt(40);
                    view = view.union(Lineage.parse("{[" + lo + "," + (lo + 1 + random.nextInt(10)) + ")}"));
                }
                views.add(view);
            }
            Set<Long> needed = new TreeSet<>();   // the join the SQL did: each view's newest contained epoch
            for (Lineage view : views) {
                epochs.descendingSet().stream().filter(view::contains).findFirst().ifPresent(needed::add);
            }
            VersionKeys unneeded = new VersionKeys();
            keys(1, epochs.stream().mapToLong(Long::longValue).toArray()).unneededBy(views, unneeded);
            long[] expected = epochs.stream().filter(e -> !needed.contains(e)).mapToLong(Long::longValue).toArray();
            assertThat(unneeded.epochs(0, unneeded.size())).as("%s over %s", views, epochs)
                    .containsExactly(expected);
        }
    }

    private static VersionKeys keys(long lineId, long... ascendingEpochs) {
        VersionKeys keys = new VersionKeys();
        for (long e : ascendingEpochs) {
            keys.add(lineId, e);
        }
        return keys;
    }
}
