package org.vheap.device.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vheap.device.vm.heap.Collector;
import org.vheap.device.vm.heap.HeapMemory;
import org.vheap.device.vm.interp.CallSites;
import org.vheap.device.vm.loader.VmClass;
import org.vheap.format.BlobHash;
import org.vheap.format.FrameMaps;
import org.vheap.format.HeapClasses;
import org.vheap.format.HeapDominators;
import org.vheap.format.HeapGraph;
import org.vheap.format.HeapLines;
import org.vheap.format.HeapObjects;
import org.vheap.format.HeapVerifier;
import org.vheap.format.ObjectLayout;
import org.vheap.format.OfflineCollector;
import org.vheap.format.VmStateImage;

/**
 * The heap server reads a checkpoint's objects with heap-format's {@link HeapGraph}, which runs no code: checked here
 * against the device VM that wrote the heap, at checkpoints of a running app. Its class shapes equal the VM's own,
 * class for class; its walk from the VM state's roots reaches exactly the objects and bytes the device's full
 * collection marks right after; and it reads an app's objects, fields, strings and paths as the app made them.
 */
class HeapGraphCrossCheckTest {
    private static final CallSites.Synthesizer NO_INDY = CallSites.standard(name -> null);

    @Test
    void aCheckpointReadWithNoDeviceHoldsWhatTheDeviceVmSees() throws Exception {
        Path classes = TestVms.compile(Map.of("Shop.java", """
                import java.util.*;
                public class Shop {
                    static final class Item { String name; int price; Item next; double weight; char grade; }
                    static Item catalog;
                    static final Map<String, Integer> stock = new HashMap<>();
                    static boolean ready;
                    public static void main(String[] args) {
                        for (int i = 0; i < 300; i++) {
                            Item it = new Item();
                            it.name = "item-" + i;
                            it.price = i * 3;
                            it.weight = i / 4.0;
                            it.grade = (char) ('A' + i % 3);
                            it.next = catalog;
                            catalog = it;
                            stock.put(it.name, i);
                        }
                        Item held = new Item();   // reachable from this frame alone
                        held.name = "held by main";
                        ready = true;
                        long garbage = 0;
                        for (int i = 0; i < 200_000; i++) {
                            garbage += new int[8].length;
                        }
                        System.out.println(held.name + garbage);
                    }
                }
                """));
        ArrayHeapMemory memory = new ArrayHeapMemory(4096, 64 << 10);
        var console = new org.vheap.device.DeviceConsole(new java.io.ByteArrayInputStream(new byte[0]),
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), System.err);
        try (var source = new org.vheap.device.vm.loader.ClassSource(List.of(classes))) {
            Vm vm = new Vm(memory, new org.vheap.device.vm.heap.ObjectAllocator(memory, 4096, 1L << 30), source,
                    TestVms.PARSED, console, System::nanoTime, System::currentTimeMillis);
            VmLauncher launcher = new VmLauncher(vm, NO_INDY, 1_000);
            int[] checked = {0};
            boolean[] sawShop = {false};
            launcher.setSafepointListener((collected, switched) -> {
                if (!launcher.checkpointable() || checked[0]++ % 7 != 0) {
                    return false;
                }
                VmStateImage image = launcher.checkpointState();
                HeapGraph graph = new HeapGraph(image, new HeapClasses(image, classFiles(memory, vm)), lines(memory, image.top));
                assertThat(graph.conservativeStacks()).isFalse();
                assertSameShapes(vm, graph.classes());
                HeapVerifier.Verdict verdict = HeapVerifier.verify(graph, 4096, 10, List.of(), (o, b) -> { });
                assertThat(verdict.problems()).isEmpty();
                assertThat(verdict.sound()).isTrue();
                HeapGraph.Marking marking = graph.mark((objects, bytes) -> { });
                assertThat(marking.brokenReferences()).isZero();
                boolean last = shopIsReady(graph);
                if (last) {   // the checks of the app's own objects, on the checkpoint's bytes as it took them
                    sawShop[0] = true;
                    assertShopAsBuilt(image, graph, marking, memory, vm);
                }
                // then the device's own full collection: it reaches exactly what the walk reached
                Collector.Result collected1 = launcher.collectUserHeapNow();
                assertThat(marking.objects()).as("objects reached").isEqualTo(collected1.objectsMarked());
                assertThat(marking.liveBytes()).as("bytes reached").isEqualTo(collected1.liveBytes());
                return last;
            });
            assertThat(launcher.launch("Shop", List.of())).isEqualTo(VmLauncher.SUSPENDED);
            assertThat(checked[0]).isGreaterThan(7);
            assertThat(sawShop[0]).as("a checkpoint after Shop built its catalog").isTrue();
        }
    }

    /** Whether Shop has built its catalog (its static {@code ready}). */
    private static boolean shopIsReady(HeapGraph graph) {
        HeapClasses.HeapClass shop = graph.classes().byName("Shop");
        return shop != null && shop.mirror() != 0
                && value(new HeapObjects(graph).detail(shop.mirror()), "static ready").equals("true");
    }

    private static void assertShopAsBuilt(VmStateImage image, HeapGraph graph, HeapGraph.Marking marking,
                                          HeapMemory memory, Vm vm) {
        HeapClasses.HeapClass shop = graph.classes().byName("Shop");
        HeapObjects objects = new HeapObjects(graph);
        var mirror = objects.detail(shop.mirror());
        HeapClasses.HeapClass item = graph.classes().byName("Shop$Item");
        assertThat(marking.instances(item.id())).isEqualTo(301);
        assertThat(marking.bytes(item.id())).isEqualTo(301L * item.instanceBytes());
        int first = mirror.fields().stream().filter(f -> f.name().equals("static catalog")).findFirst().orElseThrow().ref();
        var newest = objects.detail(first);
        assertThat(newest.className()).isEqualTo("Shop$Item");
        assertThat(value(newest, "price")).isEqualTo("897");
        assertThat(value(newest, "weight")).isEqualTo("74.75");
        assertThat(value(newest, "grade")).isEqualTo("'C'");
        assertThat(value(newest, "name")).endsWith("java.lang.String \"item-299\"");
        // the second item: reached from the mirror through catalog, then next
        int second = newest.fields().stream().filter(f -> f.name().equals("next")).findFirst().orElseThrow().ref();
        List<HeapGraph.PathStep> path = graph.pathTo(second, marking);
        assertThat(path).extracting(HeapGraph.PathStep::via).containsExactly(null, "static catalog", "next");
        assertThat(path.get(0).root().kind()).isEqualTo("class");
        assertThat(path.get(0).root().holder()).isEqualTo("Shop");
        // the item only main's frame holds: its root is a stack slot of Shop.main, with its source line
        int held = -1;
        for (var r : graph.roots()) {
            if (r.kind().equals("stack") && r.holder().contains("Shop.main:")
                    && objects.detail(r.ref()).className().equals("Shop$Item")) {
                held = r.ref();
            }
        }
        assertThat(held).as("an Item held by main's frame").isPositive();
        assertThat(objects.stringValue(objects.detail(held).fields().stream()
                .filter(f -> f.name().equals("name")).findFirst().orElseThrow().ref())).isEqualTo("held by main");
        assertThat(FrameMaps.of(image)).isNotNull();
        assertDamageIsNamed(image, graph, memory, vm, first, item);
        assertCollectionsKeepTheReachableObjects(image, graph, marking, classFiles(memory, vm));
        assertRetainedSizesAreWhatRemovingAnObjectFrees(graph, marking);
        assertRandomDamageIsReportedNeverThrown(image, graph.classes(), memory);
    }

    /**
     * Collected and compacted with no device, the heap's new lines and VM state hold the same reachable objects of the
     * same classes, verify sound, and the compacted heap takes no more lines than those the live objects lay in.
     */
    private static void assertCollectionsKeepTheReachableObjects(VmStateImage image, HeapGraph graph,
                                                                 HeapGraph.Marking marking,
                                                                 java.util.function.Function<BlobHash, byte[]> files) {
        java.util.BitSet present = new java.util.BitSet();
        present.set(1, (int) ((image.top + 4095) / 4096));
        java.util.BitSet liveLines = new java.util.BitSet();
        marking.forEachMarked(ref -> {
            long a = ObjectLayout.address(ref);
            liveLines.set((int) (a / 4096), (int) ((a + graph.sizeOf(ref, graph.classOf(ref)) - 1) / 4096) + 1);
        });
        for (boolean compact : new boolean[] {false, true}) {
            Map<Long, byte[]> written = new java.util.TreeMap<>();
            java.util.Set<Long> deleted = new java.util.TreeSet<>();
            OfflineCollector.Result r = OfflineCollector.collect(graph, marking, 4096, present, compact,
                    new OfflineCollector.LineSink() {
                        @Override
                        public void write(long lineId, byte[] data) {
                            written.put(lineId, data);
                        }

                        @Override
                        public void delete(long lineId) {
                            deleted.add(lineId);
                        }
                    });
            HeapLines after = new HeapLines() {   // the old lines, with the new written over them and the deleted gone
                private java.nio.ByteBuffer line(long address) {
                    long id = address / 4096;
                    byte[] data = written.get(id);
                    if (data == null && !deleted.contains(id)) {
                        data = new byte[4096];
                        for (int i = 0; i < 4096; i += 8) {
                            java.nio.ByteBuffer.wrap(data).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(i,
                                    graph.lines().getLong(id * 4096 + i));
                        }
                    }
                    return java.nio.ByteBuffer.wrap(data == null ? new byte[4096] : data).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                }

                @Override
                public long limit() {
                    return (r.topAfter() + 4095) / 4096 * 4096;
                }

                @Override
                public byte getByte(long a) {
                    return line(a).get((int) (a % 4096));
                }

                @Override
                public short getShort(long a) {
                    return line(a).getShort((int) (a % 4096));
                }

                @Override
                public int getInt(long a) {
                    return line(a).getInt((int) (a % 4096));
                }

                @Override
                public long getLong(long a) {
                    return line(a).getLong((int) (a % 4096));
                }
            };
            HeapGraph collected = new HeapGraph(r.state(), new HeapClasses(r.state(), files), after);
            assertThat(HeapVerifier.verify(collected, 4096, 10, List.of(), (o, b) -> { }).problems())
                    .as("compact " + compact).isEmpty();
            HeapGraph.Marking m = collected.mark((o, b) -> { });
            assertThat(m.objects()).isEqualTo(marking.objects());
            for (HeapClasses.HeapClass c : graph.classes().all()) {
                assertThat(m.instances(c.id())).as(c.name()).isEqualTo(marking.instances(c.id()));
            }
            if (compact) {
                assertThat(r.topAfter() / 4096 + 1).as("lines the compacted heap takes")
                        .isLessThanOrEqualTo(liveLines.cardinality() + 1);
                assertThat(r.movedObjects()).isPositive();
            } else {
                assertThat(written.keySet()).containsExactly(0L);
                assertThat(deleted).allSatisfy(l -> assertThat(liveLines.get(l.intValue())).isFalse());
            }
        }
    }

    /**
     * An object's retained bytes from the dominator tree are, by brute force, the reachable bytes that become
     * unreachable when the object is taken out of the graph (checked for every 25th object).
     */
    private static void assertRetainedSizesAreWhatRemovingAnObjectFrees(HeapGraph graph, HeapGraph.Marking marking) {
        HeapDominators dominators = HeapDominators.of(graph, marking, (step, done) -> { });
        int[] k = {0};
        int[] checked = {0};
        marking.forEachMarked(ref -> {
            if (k[0]++ % 25 != 0) {
                return;
            }
            long without = reachableBytesWithout(graph, ref);
            assertThat(dominators.retainedBytes(ref)).as("retained bytes of " + HeapObjects.address(ref))
                    .isEqualTo(marking.liveBytes() - without);
            checked[0]++;
        });
        assertThat(checked[0]).isGreaterThan(40);
    }

    /** The bytes reachable from the roots when {@code removed} is not there. */
    private static long reachableBytesWithout(HeapGraph graph, int removed) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        java.util.ArrayDeque<Integer> work = new java.util.ArrayDeque<>();
        long[] bytes = {0};
        java.util.function.IntConsumer visit = ref -> {
            if (ref != 0 && ref != removed && graph.classOf(ref) != null && seen.add(ref)) {
                bytes[0] += graph.sizeOf(ref, graph.classOf(ref));
                work.add(ref);
            }
        };
        graph.roots().forEach(r -> visit.accept(r.ref()));
        while (!work.isEmpty()) {
            int ref = work.poll();
            graph.forEachSlot(ref, graph.classOf(ref), slot -> visit.accept(graph.referenceAt(slot)));
        }
        return bytes[0];
    }

    /**
     * Random damage (300 heaps, each with 1 to 64 ints overwritten by random values, half of them near the objects'
     * headers) never makes the reader fail: the walk, the verifier, the histogram's class shapes and every object's
     * detail answer, and a collection refuses a heap with broken references rather than collect it.
     */
    private static void assertRandomDamageIsReportedNeverThrown(VmStateImage image, HeapClasses classes,
                                                                HeapMemory memory) {
        java.util.Random random = new java.util.Random(18);
        long top = image.top;
        for (int heap = 0; heap < 300; heap++) {
            Map<Long, Integer> patches = new java.util.HashMap<>();
            for (int i = random.nextInt(64) + 1; i > 0; i--) {
                long at = (random.nextLong(top) & -4);
                int value = switch (random.nextInt(4)) {
                    case 0 -> random.nextInt();
                    case 1 -> random.nextInt(classes.maxId() + 2);          // a class id, or one past them
                    case 2 -> (int) (random.nextLong(top) >>> 3);           // a reference somewhere in the heap
                    default -> -random.nextInt(1 << 20);                    // a negative length
                };
                patches.put(at, value);
            }
            HeapGraph damaged = new HeapGraph(image, classes, patched(lines(memory, top), patches));
            HeapVerifier.Verdict v = HeapVerifier.verify(damaged, 4096, 20, List.of(), (o, b) -> { });
            HeapGraph.Marking m = damaged.mark((o, b) -> { });
            if (m.brokenReferences() > 0) {
                assertThat(v.sound()).as("a heap with broken references").isFalse();
                assertThat(v.problems()).anyMatch(p -> p.kind().equals("reference") || p.kind().equals("root"));
            }
            HeapObjects objects = new HeapObjects(damaged);
            m.forEachMarked(ref -> objects.detail(ref));
            HeapDominators.of(damaged, m, (step, done) -> { });
            if (m.brokenReferences() > 0) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> OfflineCollector.collect(damaged, m, 4096,
                        new java.util.BitSet(), false, new OfflineCollector.LineSink() {
                            @Override
                            public void write(long lineId, byte[] data) {
                            }

                            @Override
                            public void delete(long lineId) {
                            }
                        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("the heap is damaged");
            }
        }
    }

    /** Damage written over the checkpoint's lines (never into the VM's memory) is found and named. */
    private static void assertDamageIsNamed(VmStateImage image, HeapGraph sound, HeapMemory memory, Vm vm, int item,
                                            HeapClasses.HeapClass itemClass) {
        HeapClasses classes = sound.classes();
        long next = ObjectLayout.address(item) + itemClass.fields().stream().filter(f -> f.name().equals("next"))
                .findFirst().orElseThrow().offset();
        // a reference into the middle of an object
        assertThat(problems(image, classes, memory, Map.of(next, item + 1)))
                .anySatisfy(p -> assertThat(p.kind() + " " + p.where()).matches("(reference|placement) 0x[0-9a-f]+ Shop\\$Item.*"));
        // an object whose class id is gone: its holder's reference names nothing
        int second = memory.getInt(next);
        assertThat(problems(image, classes, memory, Map.of(ObjectLayout.address(second), 0)))
                .anySatisfy(p -> {
                    assertThat(p.kind()).isEqualTo("reference");
                    assertThat(p.where()).endsWith(" Shop$Item.next");
                    assertThat(p.what()).isEqualTo("names " + HeapObjects.address(second) + ", where no object starts");
                });
        // line 0 without its magic
        assertThat(problems(image, classes, memory, Map.of(0L, 0)))
                .anySatisfy(p -> assertThat(p.kind() + ": " + p.what()).isEqualTo("header: holds no heap header (no magic VHEAP001)"));
        // a mirror that names another class
        int mirror = classes.byName("Shop").mirror();
        long classId = ObjectLayout.address(mirror) + classes.byName("java/lang/Class").fields().stream()
                .filter(f -> f.name().equals(org.vheap.format.FieldLayout.CLASS_ID_FIELD)).findFirst().orElseThrow().offset();
        assertThat(problems(image, classes, memory, Map.of(classId, 1)))
                .anySatisfy(p -> assertThat(p.where() + ": " + p.what()).endsWith("the mirror of Shop: "
                        + HeapObjects.address(mirror) + " names class id 1, not " + classes.byName("Shop").id()));
    }

    private static List<HeapVerifier.Problem> problems(VmStateImage image, HeapClasses classes, HeapMemory memory,
                                                       Map<Long, Integer> patches) {
        HeapLines damaged = patched(lines(memory, image.top), patches);
        HeapVerifier.Verdict v = HeapVerifier.verify(new HeapGraph(image, classes, damaged), 4096, 50, List.of(),
                (o, b) -> { });
        assertThat(v.sound()).isFalse();
        return v.problems();
    }

    /** {@code lines} with ints replaced at some addresses. */
    private static HeapLines patched(HeapLines lines, Map<Long, Integer> ints) {
        return new HeapLines() {
            @Override
            public long limit() {
                return lines.limit();
            }

            @Override
            public byte getByte(long address) {
                Integer i = ints.get(address & -4);
                return i == null ? lines.getByte(address) : (byte) (i >>> (8 * (address & 3)));
            }

            @Override
            public short getShort(long address) {
                return (short) ((getByte(address) & 0xFF) | getByte(address + 1) << 8);
            }

            @Override
            public int getInt(long address) {
                Integer i = ints.get(address);
                return i == null ? lines.getInt(address) : i;
            }

            @Override
            public long getLong(long address) {
                return (getInt(address) & 0xFFFFFFFFL) | (long) getInt(address + 4) << 32;
            }
        };
    }

    private static String value(HeapObjects.ObjectDetail o, String field) {
        return o.fields().stream().filter(f -> f.name().equals(field)).findFirst().orElseThrow().value();
    }

    /** heap-format lays out every class exactly as the VM did. */
    private static void assertSameShapes(Vm vm, HeapClasses read) {
        for (VmClass c : vm.classes().classes()) {
            HeapClasses.HeapClass h = read.byId(c.id());
            assertThat(h.name()).isEqualTo(c.name());
            if (c.isArray()) {
                assertThat(h.elementShift()).as(c.name()).isEqualTo(c.elementShift());
                continue;
            }
            if (c.isPrimitive()) {
                continue;
            }
            assertThat(h.instanceBytes()).as("instance bytes of " + c.name()).isEqualTo(c.instanceBytes());
            assertThat(h.referenceOffsets()).as("references of " + c.name()).containsExactly(c.referenceOffsets());
            assertThat(h.staticReferenceOffsets()).as("static references of " + c.name())
                    .containsExactly(c.staticReferenceOffsets());
            assertThat(h.mirrorBytes()).as("mirror of " + c.name()).isEqualTo(c.mirrorBytes);
        }
    }

    /** Class files as the system segment holds them, where the heap header places them. */
    private static java.util.function.Function<BlobHash, byte[]> classFiles(HeapMemory memory, Vm vm) {
        Map<BlobHash, byte[]> files = new HashMap<>();
        for (HeapHeader.ClassEntry e : HeapHeader.readClasses(memory, vm)) {
            if (e.sha256() != null && e.systemAddress() != 0) {
                byte[] b = new byte[e.systemLength()];
                for (int i = 0; i < b.length; i++) {
                    b[i] = memory.getByte(e.systemAddress() + i);
                }
                files.put(BlobHash.of(e.sha256()), b);
            }
        }
        return files::get;
    }

    private static HeapLines lines(HeapMemory memory, long top) {
        return new HeapLines() {
            @Override
            public long limit() {
                return Math.min(top, ObjectLayout.USER_HEAP_LIMIT);
            }

            @Override
            public byte getByte(long address) {
                return memory.getByte(address);
            }

            @Override
            public short getShort(long address) {
                return memory.getShort(address);
            }

            @Override
            public int getInt(long address) {
                return memory.getInt(address);
            }

            @Override
            public long getLong(long address) {
                return memory.getLong(address);
            }
        };
    }
}
