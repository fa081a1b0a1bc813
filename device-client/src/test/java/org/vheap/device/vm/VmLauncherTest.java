package org.vheap.device.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vheap.device.vm.interp.CallSites;

class VmLauncherTest {
    private static final CallSites.Synthesizer NO_INDY = CallSites.standard(name -> null);

    @Test
    void helloWorld() throws Exception {
        Path classes = TestVms.compile(Map.of("Hello.java", """
                public class Hello {
                    public static void main(String[] args) {
                        System.out.println("Hello, device");
                        int sum = 0;
                        for (int i = 1; i <= 100; i++) {
                            sum += i;
                        }
                        System.out.println(sum);
                    }
                }
                """));
        TestVms.Outcome o = TestVms.run(classes, "Hello", NO_INDY);
        assertThat(o.err()).isEmpty();
        assertThat(o.out()).isEqualTo("Hello, device\n5050\n");
        assertThat(o.exit()).isZero();
    }

    @Test
    void garbageIsCollectedSoAHeapFarSmallerThanAllAllocationsSuffices() throws Exception {
        Path classes = TestVms.compile(Map.of("Churn.java", """
                public class Churn {
                    static final class Node { Node next; long[] payload = new long[16]; }
                    public static void main(String[] args) {
                        Node keep = null;
                        long sum = 0;
                        for (int i = 0; i < 200_000; i++) {
                            Node n = new Node();
                            n.payload[3] = i;
                            if (i % 1000 == 0) { n.next = keep; keep = n; }
                            sum += n.payload[3];
                        }
                        int kept = 0;
                        for (Node n = keep; n != null; n = n.next) { kept++; sum -= n.payload[3]; }
                        System.out.println(kept);
                        System.out.println(sum);
                    }
                }
                """));
        // 200k nodes of ~160 bytes = ~32 MiB allocated in all; the heap may hold 12 MiB
        TestVms.Outcome o = TestVms.run(classes, "Churn", NO_INDY, 12L << 20);
        assertThat(o.err()).isEmpty();
        assertThat(o.out()).isEqualTo("200\n19980000000\n");
        assertThat(o.collections()).isPositive();
        assertThat(o.heapInUse()).isLessThan(12L << 20);
    }

    @Test
    void aHeapTooSmallForTheLiveDataGivesOutOfMemoryError() throws Exception {
        Path classes = TestVms.compile(Map.of("Hog.java", """
                import java.util.ArrayList;
                public class Hog {
                    public static void main(String[] args) {
                        ArrayList<long[]> all = new ArrayList<>();
                        try {
                            while (true) { all.add(new long[10_000]); }
                        } catch (OutOfMemoryError e) {
                            int n = all.size();
                            all = null;
                            System.out.println("caught " + (n > 50) + " " + e.getMessage());
                        }
                    }
                }
                """));
        TestVms.Outcome o = TestVms.run(classes, "Hog", NO_INDY, 8L << 20);
        assertThat(o.out()).isEqualTo("caught true Java heap space\n");
        assertThat(o.exit()).isZero();
    }
}
