package org.vheap.format;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.vheap.format.HeapClasses.HeapClass;
import org.vheap.format.HeapClasses.HeapField;

/**
 * Checks a checkpoint's heap for damage with no device ({@code ./vheap verify}), and names what is wrong:
 * <ul>
 * <li><b>header</b>: line 0's magic and version, its class count against the VM state's class table, its allocation
 *     pointer, and each of its tables: an array of the right class and length whose entries agree with the VM state
 *     (every class's name, class file hash and mirror);</li>
 * <li><b>root</b>: every root the VM state names is an object; every class's mirror is a {@code java.lang.Class} that
 *     names that class; every interned string is a string of that text;</li>
 * <li><b>reference</b>: every reference of every reachable object names an object (a class id the table has, its bytes
 *     within the allocated heap);</li>
 * <li><b>placement</b>: reachable objects do not overlap (a reference into the middle of an object would show as
 *     one), none lies in line 0, an object no larger than a line lies within one, a larger one starts on a line
 *     boundary, and none lies in the free space the allocator would hand out again.</li>
 * </ul>
 * The first {@code limit} problems are kept, all are counted. Lines themselves (their length) are the reader's to
 * check: it gives what it found to {@link #verify}.
 */
public final class HeapVerifier {
    /** A problem: its kind ({@code header}, {@code root}, {@code reference}, {@code placement}, {@code line}), where, what. */
    public record Problem(String kind, String where, String what) {
    }

    /** What a verification found: the first problems, how many in all, and how much it checked. */
    public record Verdict(List<Problem> problems, long problemsFound, long objects, long bytes, int roots) {
        public boolean sound() {
            return problemsFound == 0;
        }
    }

    private final HeapGraph graph;
    private final HeapLines lines;
    private final int lineSize;
    private final int limit;
    private final List<Problem> problems = new ArrayList<>();
    private long found;

    private HeapVerifier(HeapGraph graph, int lineSize, int limit) {
        this.graph = graph;
        this.lines = graph.lines();
        this.lineSize = lineSize;
        this.limit = limit;
    }

    /**
     * Verifies the heap of {@code graph} (lines of {@code lineSize} bytes), after the problems the reader of its lines
     * found ({@code readProblems}); keeps the first {@code limit} problems.
     */
    public static Verdict verify(HeapGraph graph, int lineSize, int limit, List<Problem> readProblems,
                                 HeapGraph.Progress progress) {
        HeapVerifier v = new HeapVerifier(graph, lineSize, limit);
        readProblems.forEach(p -> v.problem(p.kind(), p.where(), p.what()));
        v.header();
        HeapGraph.Marking m = graph.mark(progress, v::broken);
        v.mirrorsAndStrings();
        v.placement(m);
        return new Verdict(List.copyOf(v.problems), v.found, m.objects(), m.liveBytes(), graph.roots().size());
    }

    private void problem(String kind, String where, String what) {
        found++;
        if (problems.size() < limit) {
            problems.add(new Problem(kind, where, what));
        }
    }

    private static String at(int ref) {
        return HeapObjects.address(ref);
    }

    private String object(int ref) {
        HeapClass c = graph.classOf(ref);
        return at(ref) + (c == null ? "" : " " + c.javaName());
    }

    // ---- references ----

    private void broken(HeapGraph.Root root, int holder, long slot, int value) {
        String what = "names " + at(value) + ", where no object starts";
        if (root != null) {
            problem("root", root.kind() + " " + root.holder(), what);
        } else {
            String field = graph.fieldAt(holder, slot);
            problem("reference", object(holder) + (field.startsWith("[") ? field : "." + field), what);
        }
    }

    // ---- line 0 ----

    private void header() {
        if (lines.limit() < lineSize || lines.getLong(0) != HeapHeaderFormat.MAGIC) {
            problem("header", "line 0", "holds no heap header (no magic VHEAP001)");
            return;
        }
        int version = lines.getInt(8);
        if (version < 1 || version > HeapHeaderFormat.VERSION) {
            problem("header", "line 0", "has format version " + version + ", not 1 to " + HeapHeaderFormat.VERSION);
            return;
        }
        VmStateImage state = graph.state();
        int classes = lines.getInt(HeapHeaderFormat.CLASS_COUNT);
        int expected = state.classes.stream().mapToInt(VmStateImage.ClassImage::id).max().orElse(0);
        if (classes != expected) {
            problem("header", "line 0", "counts " + classes + " classes; the VM state's class table has " + expected);
        }
        long top = lines.getLong(HeapHeaderFormat.TOP);
        if (top < 0 || top > state.top) {
            problem("header", "line 0", "records allocation pointer 0x" + Long.toHexString(top)
                    + ", past the VM state's 0x" + Long.toHexString(state.top));
        }
        int names = table(HeapHeaderFormat.NAMES, "names", "[Ljava/lang/String;", expected + 1);
        int hashes = table(HeapHeaderFormat.HASHES, "class file hashes", "[[B", expected + 1);
        int mirrors = table(HeapHeaderFormat.MIRRORS, "mirrors", "[Ljava/lang/Class;", expected + 1);
        table(HeapHeaderFormat.STATES, "initialization states", "[B", expected + 1);
        table(HeapHeaderFormat.INTERNED, "interned strings", "[Ljava/lang/String;", -1);
        if (version >= 2) {
            table(HeapHeaderFormat.PLACES, "placements", "[I", 2 * (expected + 1));
        }
        HeapObjects objects = new HeapObjects(graph);
        for (VmStateImage.ClassImage c : state.classes) {
            if (names != 0) {
                String name = objects.stringValue(element(names, c.id()));
                if (!c.name().equals(name)) {
                    problem("header", "class names table [" + c.id() + "]", "names " + (name == null ? "no string"
                            : "'" + name + "'") + "; the VM state's class " + c.id() + " is " + c.name());
                }
            }
            if (mirrors != 0 && element(mirrors, c.id()) != c.mirror()) {
                problem("header", "mirrors table [" + c.id() + "]", "holds " + at(element(mirrors, c.id()))
                        + "; the VM state's mirror of " + c.name() + " is " + at(c.mirror()));
            }
            if (hashes != 0 && !Arrays.equals(graph.byteArray(element(hashes, c.id())), c.sha256())) {
                problem("header", "class file hashes table [" + c.id() + "]", "does not hold the SHA-256 the VM state"
                        + " gives " + c.name());
            }
        }
    }

    /** The header's table at {@code offset} if it is an array of {@code arrayClass} of {@code length} (-1: any), else 0. */
    private int table(int offset, String what, String arrayClass, int length) {
        int ref = lines.getInt(offset);
        HeapClass c = graph.classOf(ref);
        if (c == null || !c.name().equals(arrayClass)) {
            problem("header", "line 0, offset " + offset, "the " + what + " table " + at(ref) + " is "
                    + (c == null ? "no object" : "a " + c.javaName()) + ", not a " + HeapClasses.javaName(arrayClass));
            return 0;
        }
        if (length >= 0 && graph.arrayLength(ref) != length) {
            problem("header", "line 0, offset " + offset, "the " + what + " table has " + graph.arrayLength(ref)
                    + " entries, not " + length);
            return 0;
        }
        return ref;
    }

    private int element(int array, int index) {
        return lines.getInt(ObjectLayout.address(array) + ObjectLayout.ARRAY_BASE_OFFSET + 4L * index);
    }

    // ---- roots the VM names ----

    private void mirrorsAndStrings() {
        HeapClass classClass = graph.classes().byName("java/lang/Class");
        HeapField id = classClass == null ? null : classClass.fields().stream()
                .filter(f -> f.name().equals(FieldLayout.CLASS_ID_FIELD)).findFirst().orElse(null);
        for (VmStateImage.ClassImage c : graph.state().classes) {
            if (c.mirror() == 0 || graph.classOf(c.mirror()) == null) {
                continue;   // no mirror yet, or a broken root (reported)
            }
            if (graph.classOf(c.mirror()) != classClass) {
                problem("root", "the mirror of " + c.name(), object(c.mirror()) + " is no java.lang.Class");
            } else if (id != null && lines.getInt(ObjectLayout.address(c.mirror()) + id.offset()) != c.id()) {
                problem("root", "the mirror of " + c.name(), at(c.mirror()) + " names class id "
                        + lines.getInt(ObjectLayout.address(c.mirror()) + id.offset()) + ", not " + c.id());
            }
        }
        HeapObjects objects = new HeapObjects(graph);
        for (Map.Entry<String, Integer> s : graph.state().interned.entrySet()) {
            if (graph.classOf(s.getValue()) == null) {
                continue;
            }
            String text = objects.stringValue(s.getValue());
            if (!s.getKey().equals(text)) {
                problem("root", "interned string \"" + HeapGraph.abbreviate(s.getKey(), 40) + "\"", object(s.getValue())
                        + (text == null ? " is no string" : " reads \"" + HeapGraph.abbreviate(text, 40) + "\""));
            }
        }
    }

    // ---- where objects lie ----

    private void placement(HeapGraph.Marking m) {
        long[] free = graph.state().freeRanges.clone();
        long[][] ranges = new long[free.length / 2][];
        for (int i = 0; i < ranges.length; i++) {
            ranges[i] = new long[] {free[2 * i], free[2 * i] + free[2 * i + 1]};
        }
        Arrays.sort(ranges, (a, b) -> Long.compare(a[0], b[0]));
        long[] previousEnd = {0};
        int[] previous = {0};
        int[] range = {0};
        m.forEachMarked(ref -> {
            long a = ObjectLayout.address(ref);
            long size = graph.sizeOf(ref, graph.classOf(ref));
            if (a < lineSize) {
                problem("placement", object(ref), "lies in line 0, the heap header's");
            }
            if (a < previousEnd[0]) {
                problem("placement", object(ref), "overlaps " + object(previous[0]) + ", which ends at 0x"
                        + Long.toHexString(previousEnd[0]));
            }
            if (size <= lineSize && a / lineSize != (a + size - 1) / lineSize) {
                problem("placement", object(ref), "of " + size + " bytes straddles two lines");
            } else if (size > lineSize && a % lineSize != 0) {
                problem("placement", object(ref), "of " + size + " bytes, larger than a line, does not start on one");
            }
            while (range[0] < ranges.length && ranges[range[0]][1] <= a) {
                range[0]++;
            }
            if (range[0] < ranges.length && ranges[range[0]][0] < a + size) {
                problem("placement", object(ref), "lies in free space the allocator would hand out again (0x"
                        + Long.toHexString(ranges[range[0]][0]) + " to 0x" + Long.toHexString(ranges[range[0]][1]) + ")");
            }
            if (a + size > previousEnd[0]) {
                previousEnd[0] = a + size;
                previous[0] = ref;
            }
        });
    }
}
