package org.vheap.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.vheap.device.store.MemoryHeapStore;
import org.vheap.device.vm.loader.ParsedClasses;
import org.vheap.server.testing.TestHeaps;

/**
 * The tier (hot methods translated into host code) against the interpreter alone: the same output, exceptions thrown
 * where the interpreter throws them (from inside translated loops and calls), threads switched inside translated loops,
 * and an app suspended while its threads run translated code resuming exactly on another device.
 */
class TierTest {
    /** Hot loops and calls that end in every exception a translated instruction hands back to the interpreter. */
    private static final String LOOPS = """
            public class Loops {
                static int depth;
                static int down(int n) { depth++; return n == 0 ? 0 : 1 + down(n - 1); }
                static long mix(long h, int k) { return h * 31 + (k ^ (h >>> 7)); }
                interface Shape { double area(); }
                record Square(double side) implements Shape { public double area() { return side * side; } }
                static class Cell { int value; Cell next; }
                // small enough to be translated (main is not): their checks fail inside translated code
                static int at(int[] xs, int i) { return xs[i]; }
                static void put(long[] xs, int i, long v) { xs[i] = v; }
                static int valueOf(Cell c) { return c.value; }
                static int length(int[] xs) { return xs.length; }
                // one array instruction sees the longer array 200 times, then the shorter: its cached length must go
                static long lengths(int[] longer, int[] shorter) {
                    long sum = 0;
                    for (int k = 0; k < 300; k++) { int[] xs = k < 200 ? longer : shorter; sum += xs.length; }
                    return sum;
                }
                static long fifths(int[] longer, int[] shorter) {
                    long sum = 0;
                    for (int k = 0; k < 300; k++) { int[] xs = k < 200 ? longer : shorter; sum += xs[5]; }
                    return sum;
                }

                public static void main(String[] a) {
                    long h = 0;
                    int[] counts = new int[64];
                    double[] xs = new double[256];
                    for (int i = 0; i < 200_000; i++) {
                        h = mix(h, i);
                        counts[(int) (h & 63)]++;
                        xs[i & 255] += Math.sqrt(i) / (1 + (i & 7));
                    }
                    System.out.println("mix " + h + " " + counts[5] + " " + xs[17]);
                    Cell cells = null;
                    for (int i = 0; i < 1000; i++) {
                        Cell c = new Cell();
                        c.value = i;
                        c.next = cells;
                        cells = c;
                    }
                    long sum = 0;
                    for (Cell c = cells; c != null; c = c.next) sum += c.value;
                    System.out.println("cells " + sum);
                    try {
                        for (int i = 0; ; i++) counts[i] += i;
                    } catch (ArrayIndexOutOfBoundsException e) {
                        System.out.println("aioobe " + e.getMessage() + " at line " + e.getStackTrace()[0].getLineNumber());
                    }
                    try {
                        int z = 0;
                        for (int i = 10; ; i--) z += 100 / i;
                    } catch (ArithmeticException e) {
                        System.out.println("arithmetic " + e.getMessage());
                    }
                    try {
                        Cell c = cells;
                        while (true) { sum += c.value; c = c.next; }
                    } catch (NullPointerException e) {
                        System.out.println("npe " + sum);
                    }
                    long[] longs = new long[4];
                    try {
                        for (int i = 0; ; i++) sum += at(counts, i);
                    } catch (ArrayIndexOutOfBoundsException e) {
                        System.out.println("at " + e.getMessage() + " " + sum);
                    }
                    try {
                        for (int i = 3; ; i--) put(longs, i, i);
                    } catch (ArrayIndexOutOfBoundsException e) {
                        System.out.println("put " + e.getMessage() + " " + longs[3]);
                    }
                    try {
                        at(null, 0);
                    } catch (NullPointerException e) {
                        System.out.println("at null " + e.getMessage());
                    }
                    int[][] arrays = {counts, new int[3]};
                    int lengths = 0;
                    try {
                        for (int i = 0; i < 9; i++) lengths += length(i < 8 ? arrays[i % 2] : null);
                        System.out.println("length no npe " + lengths);
                    } catch (NullPointerException e) {
                        System.out.println("length null " + e.getMessage() + " " + lengths);
                    }
                    int[] shorter = {7, 8, 9};
                    System.out.println("lengths " + lengths(counts, shorter));
                    try {
                        System.out.println("fifths " + fifths(counts, shorter));
                    } catch (ArrayIndexOutOfBoundsException e) {
                        System.out.println("fifths " + e.getMessage());
                    }
                    long values = 0;
                    try {
                        for (Cell c = cells; ; c = c.next) values += valueOf(c);   // the last call's cell is null
                    } catch (NullPointerException e) {
                        System.out.println("valueOf null " + e.getMessage() + " " + values);
                    }
                    Object[] things = {new Square(2), new Square(3), "not a shape"};
                    double area = 0;
                    try {
                        for (int i = 0; i < 3; i++) area += ((Shape) things[i]).area();
                    } catch (ClassCastException e) {
                        System.out.println("cce " + area + " " + e.getMessage());
                    }
                    Object[] names = new String[8];
                    try {
                        for (int i = 0; ; i++) names[i] = i < 5 ? "n" + i : (Object) Integer.valueOf(i);
                    } catch (ArrayStoreException e) {
                        System.out.println("ase " + names[4] + " " + e.getMessage());
                    }
                    try {
                        down(1_000_000);
                    } catch (StackOverflowError e) {
                        System.out.println("overflow " + (depth > 1000));
                    }
                    System.out.println("down " + down(500));
                }
            }
            """;

    /** Two threads in hot loops, switched by the quantum, then joined. */
    private static final String THREADS = """
            public class Spin {
                static volatile long seen;
                static long total;
                static final Object LOCK = new Object();
                static long[] shared = new long[4];
                static synchronized void add(long v) { total += v; }
                static long work(long seed, int n) {
                    long h = seed;
                    for (int i = 0; i < n; i++) {
                        h = h * 6364136223846793005L + 1442695040888963407L;
                        seen = h;
                        if ((i & 1023) == 0) add(h & 15);
                        if ((i & 4095) == 0) {
                            synchronized (LOCK) { shared[(int) (h & 3)] += 1; }
                        }
                    }
                    return h;
                }
                public static void main(String[] a) throws Exception {
                    int rounds = Integer.parseInt(a[0]);
                    long[] results = new long[2];
                    Thread t = new Thread(() -> { for (int r = 0; r < rounds; r++) results[1] += work(r, 300_000); });
                    t.start();
                    for (int r = 0; r < rounds; r++) {
                        results[0] += work(r + 7, 300_000);
                        System.out.println("round " + r + " " + results[0]);
                    }
                    t.join();
                    System.out.println("done " + results[0] + " " + results[1] + " " + total + " "
                            + (shared[0] + shared[1] + shared[2] + shared[3]));
                }
            }
            """;

    /**
     * Activations reused after a reflective call left one "in a call": a translated callee pushed into that slot must
     * search its handlers from its own pc (a stale flag once made the catch in {@code a} miss).
     */
    private static final String REUSED = """
            import java.lang.reflect.*;
            public class Reused {
                static void boom(int x) { if (x >= 0) throw new IllegalStateException("boom"); }
                static int a() {
                    int r = 0;
                    try { boom(r); } catch (IllegalStateException e) { r = 1; }
                    return r;
                }
                static int b(int k) { return k == 0 ? a() : b(k - 1); }
                static void reflectAt(int k, Method m) {
                    if (k > 0) { reflectAt(k - 1, m); return; }
                    try { m.invoke(null, 1); } catch (InvocationTargetException e) { } catch (Exception e) { throw new RuntimeException(e); }
                }
                static int hot(int rounds) {
                    int sum = 0;
                    for (int r = 0; r < rounds; r++) for (int k = 0; k < 12; k++) sum += b(k);
                    return sum;
                }
                public static void main(String[] args) throws Exception {
                    Method m = Reused.class.getDeclaredMethod("boom", int.class);
                    System.out.println("warm " + hot(1000));
                    for (int k = 19; k >= 0; k--) reflectAt(k, m);
                    try {
                        System.out.println("after " + hot(10));
                    } catch (IllegalStateException e) {
                        System.out.println("ESCAPED " + e);
                    }
                    // Math.abs of a NaN with its sign bit set: the JDK's bytecode keeps the bits, the host's intrinsic
                    // would clear the sign
                    long bits = 0;
                    for (int i = 0; i < 5000; i++) bits = Double.doubleToRawLongBits(Math.abs(Double.longBitsToDouble(0xfff8000000000001L + (i & 1))));
                    System.out.println("abs " + Long.toHexString(bits));
                }
            }
            """;

    /** Small objects allocated in a hot loop: from translated code, each once. */
    private static final String ALLOCATING = """
            public class Allocating {
                static class P { int x; P(int x) { this.x = x; } }
                public static void main(String[] a) {
                    long sum = 0;
                    for (int i = 0; i < 300000; i++) { P p = new P(i); sum += p.x; }
                    System.out.println(sum);
                }
            }
            """;

    private static String run(Path classes, String main, int tierThreshold, String... args) {
        return runDevice(classes, main, tierThreshold, args).output;
    }

    private record Outcome(String output, DeviceStats stats) {
    }

    private static Outcome runDevice(Path classes, String main, int tierThreshold, String... args) {
        return runDevice(new ParsedClasses(), classes, main, tierThreshold, args);
    }

    /** A run on a device of its own sharing the code cache {@code codeCache}. */
    private static Outcome runDevice(ParsedClasses codeCache, Path classes, String main, int tierThreshold, String... args) {
        try (MemoryHeapStore store = new MemoryHeapStore()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Device device = new Device(new DeviceConfig().app(TestHeaps.app("tier")).tierThreshold(tierThreshold), store,
                    ResumeTest.console(out), codeCache);
            assertThat(device.run(List.of(classes), main, List.of(args))).isZero();
            if (tierThreshold >= 0) {
                assertThat(device.stats().methodsTranslated()).as("methods translated").isPositive();
            } else {
                assertThat(device.stats().methodsTranslated()).isZero();
            }
            return new Outcome(out.toString(StandardCharsets.UTF_8), device.stats());
        }
    }

    /**
     * A method with many array instructions, each with its length cache: its class file is well over 9,000 bytes
     * (the stack map frames list every kept local), its code under the 8,000 bytes HotSpot compiles.
     */
    private static String wide() {
        StringBuilder body = new StringBuilder();
        for (int k = 0; k < 11; k++) {
            body.append("            s").append(k % 8).append(" += a[i + ").append(k % 5).append("] > b[i] ? a[i] : b[i + ")
                    .append(k % 3).append("];\n");
        }
        return """
                public class Wide {
                    static long wide(int[] a, int[] b, int n) {
                        long s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
                        for (int i = 0; i + 5 < n; i++) {
                """ + body + """
                        }
                        return s0 + 3 * s1 + 5 * s2 + 7 * s3 + 11 * s4 + 13 * s5 + 17 * s6 + 19 * s7;
                    }
                    public static void main(String[] args) {
                        int[] a = new int[64], b = new int[64];
                        for (int i = 0; i < 64; i++) { a[i] = i * 7 % 13; b[i] = i * 5 % 11; }
                        // the same digits either way, so both runs print through the same code
                        long r = args[0].equals("call") ? wide(a, b, 64) : 11111;
                        System.out.println(r);
                    }
                }
                """;
    }

    @Test
    void aMethodWhoseCodeFitsTheHostJitIsTranslatedHoweverLargeItsClassFile() throws Exception {
        Path classes = ResumeTest.compile("Wide", wide());
        String interpreted = run(classes, "Wide", -1, "call");
        Outcome called = runDevice(classes, "Wide", 0, "call");
        Outcome notCalled = runDevice(classes, "Wide", 0, "skip");
        assertThat(called.output).isEqualTo(interpreted);
        assertThat(notCalled.output).isEqualTo("11111\n");
        assertThat(called.stats.methodsTranslated() - notCalled.stats.methodsTranslated()).as("wide translated").isEqualTo(1);
    }

    /**
     * A method of 80 field reads, called ten times. Once its reads are quickened, its translation with each read's
     * barrier fast path written out is 11,288 bytes of bytecode, over the 8,000 HotSpot compiles; with each read a call
     * to the runtime's getter, 6,456 (its prepared code, 1,121 slots, is under the tier's 1,200).
     */
    private static String fields() {
        StringBuilder body = new StringBuilder();
        for (int k = 0; k < 80; k++) {
            body.append("            s += o.f").append(k % 8).append(" * ").append(k + 1).append(";\n");
        }
        return """
                public class Fields {
                    int f0 = 1, f1 = 2, f2 = 3, f3 = 4, f4 = 5, f5 = 6, f6 = 7, f7 = 8;
                    static long sum(Fields o) {
                        long s = 0;
                """ + body + """
                        return s;
                    }
                    public static void main(String[] args) {
                        Fields o = new Fields();   // its constructor translated either way
                        long r = 111111;
                        if (args[0].equals("call")) {
                            // the first calls quicken the fields' reads (the first translation hands them back)
                            for (int i = 0; i < 10; i++) r = sum(o);
                        }
                        System.out.println(r);
                    }
                }
                """;
    }

    @Test
    void aMethodTooLongWithItsBarriersWrittenOutIsTranslatedWithCallsToTheGetters() throws Exception {
        Path classes = ResumeTest.compile("Fields", fields());
        Outcome interpreted = runDevice(classes, "Fields", -1, "call");
        long tenCallsInterpreted = interpreted.stats.bytecodes() - runDevice(classes, "Fields", -1, "skip").stats.bytecodes();
        Outcome called = runDevice(classes, "Fields", 0, "call");
        Outcome notCalled = runDevice(classes, "Fields", 0, "skip");
        assertThat(called.output).isEqualTo(interpreted.output);
        assertThat(notCalled.output).isEqualTo("111111\n");
        // about two of the ten calls run in the interpreter (quickening), the rest translated: 1,374 bytecodes of the
        // 6,596 all ten take interpreted; without the second try (with calls) every call is left to the interpreter
        assertThat(called.stats.bytecodes() - notCalled.stats.bytecodes()).as("bytecodes the calls interpreted")
                .isLessThan(tenCallsInterpreted / 2);
    }

    @Test
    void reusedActivationsAndNaNBitsAreTheInterpretersToo() throws Exception {
        Path classes = ResumeTest.compile("Reused", REUSED);
        String interpreted = run(classes, "Reused", -1);
        assertThat(interpreted).contains("after 120", "abs fff8000000000002");
        assertThat(run(classes, "Reused", 0)).isEqualTo(interpreted);
        assertThat(run(classes, "Reused", DeviceConfig.DEFAULT_TIER_THRESHOLD)).isEqualTo(interpreted);
    }

    @Test
    void translatedCodeAllocatesEachObjectOnce() throws Exception {
        Path classes = ResumeTest.compile("Allocating", ALLOCATING);
        Outcome interpreted = runDevice(classes, "Allocating", -1);
        Outcome tiered = runDevice(classes, "Allocating", 0);
        assertThat(tiered.output).isEqualTo(interpreted.output).isEqualTo("44999850000\n");
        // an object allocated twice (made, dropped, made again by the interpreter) would fill the nursery twice as often
        assertThat(tiered.stats.minorCollections()).isLessThanOrEqualTo(interpreted.stats.minorCollections() + 1);
    }

    @Test
    void translatedLoopsAndCallsPrintWhatTheInterpreterPrintsExceptionsIncluded() throws Exception {
        Path classes = ResumeTest.compile("Loops", LOOPS);
        String interpreted = run(classes, "Loops", -1);
        assertThat(interpreted).contains("aioobe Index 64 out of bounds for length 64", "ase n4 java.lang.Integer", "arithmetic / by zero", "npe ",
                "at Index 64 out of bounds for length 64", "put Index -1 out of bounds for length 4 3", "at null Cannot load from int array",
                "valueOf null Cannot read field \"value\"", "length null Cannot read the array length because \"<parameter1>\" is null 268",
                "cce 13.0 ", "overflow true", "down 500", "lengths 13100", "fifths Index 5 out of bounds for length 3");
        assertThat(run(classes, "Loops", 0)).as("every method translated at its first call").isEqualTo(interpreted);
        assertThat(run(classes, "Loops", DeviceConfig.DEFAULT_TIER_THRESHOLD)).as("the default").isEqualTo(interpreted);
    }

    @Test
    void devicesSharingACodeCacheRunEachOthersTranslationsAndPrintTheSame() throws Exception {
        Path classes = ResumeTest.compile("Loops", LOOPS);
        String interpreted = run(classes, "Loops", -1);
        ParsedClasses codeCache = new ParsedClasses();
        assertThat(runDevice(codeCache, classes, "Loops", 0).output).isEqualTo(interpreted);
        long defined = codeCache.hostClasses().defined();
        assertThat(codeCache.hostClasses().reused()).isZero();
        // two more devices at once, on two threads: every translation is one the first device made
        CompletableFuture<Outcome> second = CompletableFuture.supplyAsync(() -> runDevice(codeCache, classes, "Loops", 0));
        Outcome third = runDevice(codeCache, classes, "Loops", 0);
        assertThat(second.get().output).isEqualTo(interpreted);
        assertThat(third.output).isEqualTo(interpreted);
        assertThat(codeCache.hostClasses().reused()).isEqualTo(2L * third.stats.methodsTranslated());
        assertThat(codeCache.hostClasses().defined()).isEqualTo(defined);
    }

    @Test
    void threadsSwitchInsideTranslatedLoops() throws Exception {
        Path classes = ResumeTest.compile("Spin", THREADS);
        assertThat(run(classes, "Spin", 0, "4")).isEqualTo(run(classes, "Spin", -1, "4"));
    }

    @Test
    void anAppSuspendedWhileItsThreadsRunTranslatedCodeResumesExactly() throws Exception {
        Path classes = ResumeTest.compile("Spin", THREADS);
        String whole = run(classes, "Spin", -1, "12");
        try (MemoryHeapStore store = new MemoryHeapStore()) {
            String app = TestHeaps.app("tier-suspend");
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            Device a = new Device(new DeviceConfig().app(app).deviceName("a").tierThreshold(0), store, ResumeTest.console(first));
            CompletableFuture<Integer> running = CompletableFuture.supplyAsync(() -> a.run(List.of(classes), "Spin", List.of("12")));
            ResumeTest.awaitOutput(first, "round 3 ");
            assertThat(a.suspend(Duration.ofSeconds(30))).isPositive();
            assertThat(running.get()).isEqualTo(Device.SUSPENDED);
            ByteArrayOutputStream second = new ByteArrayOutputStream();
            Device b = new Device(new DeviceConfig().app(app).deviceName("b").tierThreshold(0), store, ResumeTest.console(second));
            assertThat(b.resume(0)).isZero();
            assertThat(first.toString(StandardCharsets.UTF_8) + second.toString(StandardCharsets.UTF_8)).isEqualTo(whole);
            assertThat(second.toString(StandardCharsets.UTF_8)).contains("done ");
        }
    }
}
