package org.vheap.device.vm;

import org.vheap.format.VmStateImage;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
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

        // the VM's own tables are in the heap: line 0 names every class, with its class file's hash and mirror
        HeapHeader.ClassEntry hello = o.headerClasses().stream().filter(e -> e.name().equals("Hello")).findFirst().orElseThrow();
        assertThat(hello.sha256()).isEqualTo(org.vheap.format.BlobHash.digest(
                java.nio.file.Files.readAllBytes(classes.resolve("Hello.class"))).bytes());
        assertThat(hello.mirror()).isNotZero();
        // and where its class file lies in the system segment: a line of its own, past every user address
        assertThat(hello.systemAddress()).isGreaterThanOrEqualTo(org.vheap.format.ObjectLayout.SYSTEM_SEGMENT_BASE);
        assertThat(hello.systemAddress() % 4096).isZero();
        assertThat(hello.systemLength()).isEqualTo(java.nio.file.Files.size(classes.resolve("Hello.class")));
        assertThat(hello.initState()).isEqualTo(org.vheap.device.vm.loader.VmClass.InitState.INITIALIZED.ordinal());
        assertThat(o.headerClasses()).extracting(HeapHeader.ClassEntry::name).contains("java/lang/String", "[I", "int");
        assertThat(o.headerClasses().stream().filter(e -> e.name().equals("int")).findFirst().orElseThrow().sha256()).isNull();
        assertThat(o.headerTopCurrent()).isTrue();
    }

    /**
     * A checkpoint taken when the nursery is nearly full promotes every survivor first: afterwards the nursery is
     * empty (nothing of the checkpoint is in it), and the program goes on to print what it would have.
     */
    @Test
    void aCheckpointAtAFullNurseryPromotesEverySurvivorFirst() throws Exception {
        Path classes = TestVms.compile(Map.of("Young.java", """
                public class Young {
                    static final class Node { Node next; int value; String name; }
                    public static void main(String[] args) {
                        Node list = null;
                        for (int i = 0; i < 20_000; i++) {
                            Node n = new Node();
                            n.value = i;
                            n.name = i % 2 == 0 ? "even" : "odd";
                            if (i % 3 == 0) { n.next = list; list = n; }
                        }
                        long sum = 0;
                        int count = 0;
                        for (Node n = list; n != null; n = n.next) { sum += n.value + n.name.length(); count++; }
                        System.out.println(count);
                        System.out.println(sum);
                    }
                }
                """));
        ArrayHeapMemory memory = new ArrayHeapMemory(4096, 64 << 10);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        org.vheap.device.DeviceConsole console = new org.vheap.device.DeviceConsole(new java.io.ByteArrayInputStream(new byte[0]),
                new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8), System.err);
        try (org.vheap.device.vm.loader.ClassSource source = new org.vheap.device.vm.loader.ClassSource(List.of(classes))) {
            Vm vm = new Vm(memory, new org.vheap.device.vm.heap.ObjectAllocator(memory, 4096, 1L << 30), source,
                    TestVms.PARSED, console, System::nanoTime, System::currentTimeMillis);
            VmLauncher launcher = new VmLauncher(vm, NO_INDY, 1_000);
            launcher.verifyRememberedSets(true);
            long[] checkpointedAt = new long[4];
            int[] taken = {0};
            launcher.setSafepointListener((collected, switched) -> {
                var nursery = vm.nursery();
                if (taken[0] < checkpointedAt.length && nursery.bytesUsed() > nursery.capacity() / 2 && launcher.checkpointable()) {
                    checkpointedAt[taken[0]++] = nursery.bytesUsed();
                    VmStateImage image = launcher.checkpointState();
                    assertThat(nursery.isEmpty()).as("the nursery after a checkpoint").isTrue();
                    assertThat(image.top).isEqualTo(vm.allocator().top());
                }
                return false;
            });
            assertThat(launcher.launch("Young", List.of())).isZero();
            assertThat(taken[0]).as("checkpoints taken at a nursery over half full").isEqualTo(checkpointedAt.length);
            assertThat(launcher.minorCollections()).isPositive();
        }
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("6667\n66686668\n");
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

    /**
     * Compaction under a real program: a cache whose entries are replaced at random fragments a 3 MiB heap whose full
     * collections (on allocation failure) compact it; across them identity hashes, a HashMap keyed by identity,
     * interned strings (quickened literals among them), class literals, statics and a monitor held the whole time all
     * stay right.
     */
    @Test
    void compactingCollectionsKeepIdentityHashesInternedStringsMirrorsAndMonitors() throws Exception {
        Path classes = TestVms.compile(Map.of("Moving.java", """
                import java.util.*;
                public class Moving {
                    static final class Entry { final int id; final String name; long[] pad = new long[8]; Entry(int id) { this.id = id; name = "e" + id; } }
                    static Entry[] cache = new Entry[3000];
                    static int[] hashes = new int[3000];
                    static final Map<Object, Integer> byIdentity = new HashMap<>();
                    public static void main(String[] args) {
                        Random r = new Random(11);
                        String[] interned = new String[50];
                        for (int i = 0; i < 50; i++) { interned[i] = ("key-" + i).intern(); }
                        Object held = new Object();
                        int heldHash = System.identityHashCode(held);
                        int bad = 0;
                        synchronized (held) {
                            for (int round = 0; round < 40; round++) {
                                for (int i = 0; i < 1500; i++) {
                                    int k = r.nextInt(cache.length);
                                    if (cache[k] != null) { byIdentity.remove(cache[k]); }
                                    cache[k] = new Entry(k);
                                    hashes[k] = System.identityHashCode(cache[k]);
                                    byIdentity.put(cache[k], k);
                                    byte[] garbage = new byte[512];
                                    garbage[0] = (byte) i;
                                }
                                for (int k = 0; k < cache.length; k++) {
                                    Entry e = cache[k];
                                    if (e == null) { continue; }
                                    if (System.identityHashCode(e) != hashes[k] || byIdentity.get(e) != k || e.id != k || !e.name.equals("e" + k)) { bad++; }
                                }
                                if ("key-7" != interned[7] || ("key-" + 30).intern() != interned[30]) { bad++; }
                                if (Moving.class != cache.getClass().getComponentType().getEnclosingClass() || !Thread.holdsLock(held)) { bad++; }
                                if (System.identityHashCode(held) != heldHash) { bad++; }
                            }
                            held.notifyAll();
                        }
                        System.out.println("bad " + bad + ", " + byIdentity.size() + " entries");
                    }
                }
                """));
        TestVms.Outcome o = TestVms.run(classes, "Moving", NO_INDY, 3L << 20);
        assertThat(o.err()).isEmpty();
        assertThat(o.out()).startsWith("bad 0, ");
        assertThat(o.bytesCompacted()).as("bytes full collections moved").isGreaterThan(100_000);
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

    @Test
    void anInstructionAllocatingManyObjectsGetsOutOfMemoryErrorRatherThanRetryingForever() throws Exception {
        Path classes = TestVms.compile(Map.of("Multi.java", """
                public class Multi {
                    public static void main(String[] args) {
                        try {
                            int[][] grid = new int[100][1 << 16];
                            System.out.println(grid.length);
                        } catch (OutOfMemoryError e) {
                            System.out.println("caught " + e.getMessage());
                        }
                    }
                }
                """));
        // 100 arrays of 256 KiB: the first dozens fit in 8 MiB, the instruction as a whole never does
        TestVms.Outcome o = TestVms.run(classes, "Multi", NO_INDY, 8L << 20);
        assertThat(o.out()).isEqualTo("caught Java heap space\n");
        assertThat(o.collections()).isPositive();
    }

    @Test
    void aMalformedClassFileIsAClassFormatErrorInTheApp() throws Exception {
        Path classes = TestVms.compile(Map.of("Uses.java", """
                public class Uses {
                    public static void main(String[] args) {
                        try {
                            new Broken();
                        } catch (ClassFormatError e) {
                            System.out.println("caught " + e.getClass().getName());
                        }
                    }
                }
                class Broken { }
                """));
        java.nio.file.Files.write(classes.resolve("Broken.class"), new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61, 0, 99});
        TestVms.Outcome o = TestVms.run(classes, "Uses", NO_INDY);
        assertThat(o.out()).isEqualTo("caught java.lang.ClassFormatError\n");
        assertThat(o.exit()).isZero();
    }

    @Test
    void unverifiableBytecodeIsAVerifyErrorNotAHostCrash() throws Exception {
        Path classes = TestVms.compile(Map.of("Calls.java", """
                public class Calls {
                    public static void main(String[] args) {
                        System.out.println(Bad.f());
                    }
                }
                class Bad { static int f() { return 1; } }
                """));
        // rewrite Bad.f to pop from an empty operand stack
        org.objectweb.asm.ClassWriter w = new org.objectweb.asm.ClassWriter(0);
        w.visit(61, org.objectweb.asm.Opcodes.ACC_SUPER, "Bad", null, "java/lang/Object", null);
        org.objectweb.asm.MethodVisitor m = w.visitMethod(org.objectweb.asm.Opcodes.ACC_STATIC, "f", "()I", null, null);
        m.visitCode();
        m.visitInsn(org.objectweb.asm.Opcodes.POP);
        m.visitInsn(org.objectweb.asm.Opcodes.ICONST_1);
        m.visitInsn(org.objectweb.asm.Opcodes.IRETURN);
        m.visitMaxs(1, 0);
        m.visitEnd();
        w.visitEnd();
        java.nio.file.Files.write(classes.resolve("Bad.class"), w.toByteArray());
        TestVms.Outcome o = TestVms.run(classes, "Calls", NO_INDY);
        assertThat(o.exit()).isEqualTo(1);
        assertThat(o.err()).startsWith("Exception in thread \"main\" java.lang.VerifyError: (class: Bad, method: f signature: ()I)");
        assertThat(o.err()).contains("\tat Calls.main(");
    }

    @Test
    void aHeapsClassesCanComeFromTheStoreByTheHashesInItsHeader() throws Exception {
        Path classes = TestVms.compile(Map.of("Again.java", """
                public class Again {
                    public static void main(String[] args) {
                        System.out.println("again " + new StringBuilder("abc").reverse());
                    }
                }
                """));
        Map<org.vheap.format.BlobHash, byte[]> systemSegment = new java.util.HashMap<>();
        TestVms.Outcome first = TestVms.run(new org.vheap.device.vm.loader.ClassSource(List.of(classes)), "Again", NO_INDY,
                1L << 30, systemSegment);
        assertThat(first.out()).isEqualTo("again cba\n");
        // a second VM with no class path at all: every class the first one ran comes from the system segment,
        // found by name through the header's hashes, with the bootstrap flag of the class it stands for
        Map<String, HeapHeader.ClassEntry> byName = new java.util.HashMap<>();
        first.headerClasses().forEach(e -> byName.put(e.name(), e));
        java.util.Set<String> served = new java.util.HashSet<>();
        org.vheap.device.vm.loader.ClassSource fromStore = new org.vheap.device.vm.loader.ClassSource(List.of(), name -> {
            HeapHeader.ClassEntry e = byName.get(name);
            if (e == null || e.sha256() == null) {
                return null;
            }
            served.add(name);
            byte[] bytes = systemSegment.get(org.vheap.format.BlobHash.of(e.sha256()));
            return new org.vheap.device.vm.loader.ClassSource.Found(bytes, name.startsWith("java/") ? "java.base" : null,
                    !name.equals("Again"));
        }, new org.vheap.device.vm.loader.HostClassFiles());
        TestVms.Outcome second = TestVms.run(fromStore, "Again", NO_INDY, 1L << 30, null);
        assertThat(second.out()).isEqualTo("again cba\n");
        assertThat(served).contains("Again", "java/lang/String", "java/lang/StringBuilder");
    }

    /**
     * A device has no native libraries: System.loadLibrary fails as HotSpot does when the library is on no directory
     * of java.library.path (the device's is empty), and the JDK's own libraries (nio's, behind a FileChannel) load as
     * nothing, so what needs them runs.
     */
    @Test
    void aMissingLibraryIsHotSpotsUnsatisfiedLinkErrorAndTheJdksOwnLoadAsNothing() throws Exception {
        Path classes = TestVms.compile(Map.of("Lib.java", """
                public class Lib {
                    public static void main(String[] args) throws Exception {
                        System.out.print("path [");
                        System.out.print(System.getProperty("java.library.path"));
                        System.out.println("]");
                        try {
                            System.loadLibrary("gl");
                        } catch (UnsatisfiedLinkError e) {
                            System.out.println(e.getMessage());
                        }
                        try {
                            Runtime.getRuntime().loadLibrary("ssl");
                        } catch (UnsatisfiedLinkError e) {
                            System.out.println(e.getMessage());
                        }
                        java.io.File f = java.io.File.createTempFile("lib", ".txt");
                        try (java.nio.channels.FileChannel ch = new java.io.RandomAccessFile(f, "rw").getChannel()) {
                            System.out.print(ch.write(java.nio.ByteBuffer.wrap(new byte[7])));
                            System.out.println(ch.size());
                        }
                    }
                }
                """));
        TestVms.Outcome o = TestVms.run(classes, "Lib", CallSites.standard(name -> null));
        assertThat(o.err()).isEmpty();
        assertThat(o.out()).isEqualTo("""
                path []
                no gl in java.library.path:\s
                no ssl in java.library.path:\s
                77
                """);
    }
}
