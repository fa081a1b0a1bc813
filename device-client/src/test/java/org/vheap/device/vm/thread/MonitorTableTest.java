package org.vheap.device.vm.thread;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@link MonitorTable} against a map model: random enters and exits, collisions, growth, renaming. */
class MonitorTableTest {

    @Test
    void randomOperationsAgreeWithAMap() {
        Random random = new Random(21);
        MonitorTable table = new MonitorTable();
        Map<Integer, Monitor> model = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            // few distinct keys so that inserts, hits and removes all happen; some keys collide on purpose
            int obj = 1 + random.nextInt(step < 100_000 ? 40 : 5_000) * (random.nextBoolean() ? 1 : 4096);
            switch (random.nextInt(3)) {
                case 0 -> {
                    Monitor m = table.getOrCreate(obj);
                    Monitor expected = model.get(obj);
                    if (expected != null) {
                        assertThat(m).isSameAs(expected);
                    } else {
                        assertThat(m.owner).isNull();
                        assertThat(m.count).isZero();
                        assertThat(model.containsValue(m)).as("a monitor in use handed out twice").isFalse();
                        model.put(obj, m);
                    }
                }
                case 1 -> {
                    table.remove(obj);
                    model.remove(obj);
                }
                default -> assertThat(table.get(obj)).isSameAs(model.get(obj));
            }
            assertThat(table.size()).isEqualTo(model.size());
        }
        for (Map.Entry<Integer, Monitor> e : model.entrySet()) {
            assertThat(table.get(e.getKey())).isSameAs(e.getValue());
        }
        assertThat(table.objects()).containsExactly(new TreeMap<>(model).keySet().stream().mapToInt(Integer::intValue).toArray());
    }

    @Test
    void aRemovedMonitorIsReusedClean() {
        MonitorTable table = new MonitorTable();
        Monitor m = table.getOrCreate(7);
        m.count = 3;
        table.remove(7);
        assertThat(table.get(7)).isNull();
        Monitor again = table.getOrCreate(9);
        assertThat(again).isSameAs(m);
        assertThat(again.count).isZero();
        assertThat(again.owner).isNull();
    }

    @Test
    void rekeyMovesEveryMonitorToItsNewObject() {
        MonitorTable table = new MonitorTable();
        Map<Integer, Monitor> before = new HashMap<>();
        for (int obj = 1; obj <= 100; obj++) {
            before.put(obj, table.getOrCreate(obj));
        }
        table.rekey(obj -> obj + 0x1000);
        for (Map.Entry<Integer, Monitor> e : before.entrySet()) {
            assertThat(table.get(e.getKey())).isNull();
            assertThat(table.get(e.getKey() + 0x1000)).isSameAs(e.getValue());
        }
        assertThat(table.size()).isEqualTo(100);
    }
}
