package org.vheap.device.fuzz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.vheap.device.store.MemoryHeapStore;
import org.vheap.device.store.OpenRequest;
import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.heap.paging.PagedHeap;
import org.vheap.device.vm.heap.paging.PagingConfig;
import org.vheap.device.vm.loader.ClassRegistry;
import org.vheap.device.vm.loader.ClassSource;
import org.vheap.device.vm.loader.ParsedClasses;
import org.vheap.device.vm.loader.SystemSegment;

/**
 * Fuzz target {@code class-files}: an input is an app's class file, loaded by the device VM's class table as a device
 * loads one from the app's class path: its bounds checked, its bytes made system lines of a paged heap, parsed, its
 * superclass and interfaces loaded, verified, its fields laid out and its methods linked.
 *
 * <p><b>What must hold:</b> the load ends, either with the class defined or with the {@link JavaError} the app would see
 * (ClassFormatError, VerifyError, NoClassDefFoundError, ...), never with any other exception, a hang (libFuzzer's 30 s)
 * or running out of memory. A class already loaded is not loaded again, so the target renames each input's class (the
 * {@code this_class} name's UTF-8 bytes, rewritten in place, same length) to one not used before when it can find it.
 * The class table is made anew every {@value #PER_TABLE} inputs, bounding what the loaded classes hold.
 */
public final class ClassFilesTarget {
    private static final int PER_TABLE = 2000;
    private static Path dir;
    private static ClassRegistry classes;
    private static ClassSource source;
    private static int inputs;
    private static long names;

    private ClassFilesTarget() {
    }

    public static void fuzzerInitialize() throws IOException {
        dir = Files.createTempDirectory("vheap-fuzz-classes");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> dir.toFile().delete(), "vheap-fuzz-clean"));
    }

    public static void fuzzerTestOneInput(byte[] input) throws IOException {
        if (classes == null || inputs++ % PER_TABLE == 0) {
            freshTable();
        }
        String name = rename(input);
        if (name == null || classes.findLoaded(name) != null) {
            name = "FuzzInput";   // not its own name: the load stops at "wrong name", after the bounds and the parse
        }
        Path file = dir.resolve(name + ".class");
        Files.createDirectories(file.getParent());
        Files.write(file, input);
        try {
            classes.load(name);
        } catch (JavaError expected) {
            // what the app would see
        } finally {
            Files.delete(file);
        }
    }

    private static void freshTable() {
        if (source != null) {
            source.close();
        }
        MemoryHeapStore store = new MemoryHeapStore();
        PagedHeap heap = new PagedHeap(store.openHeap(OpenRequest.create("fuzz", "fuzz", 4096)),
                new PagingConfig().setMemoryBytes(1 << 20).setLineSize(4096).validate());
        source = new ClassSource(List.of(dir));
        classes = new ClassRegistry(source, new ParsedClasses(), new SystemSegment(heap, store.systemBlobs("fuzz")), c -> { });
    }

    /**
     * Gives the class file's own name ({@code this_class}, JVMS 4.1) a new value of the same length, in place, and
     * returns it; {@code null} when the constant pool cannot be walked to it or the name cannot be a file's.
     */
    static String rename(byte[] b) {
        try {
            int count = u2(b, 8);
            int[] offsets = new int[count];
            int at = 10;
            for (int i = 1; i < count; i++) {
                offsets[i] = at;
                int tag = b[at] & 0xff;
                at += switch (tag) {
                    case 1 -> 3 + u2(b, at + 1);                  // CONSTANT_Utf8
                    case 7, 8, 16, 19, 20 -> 3;                   // Class, String, MethodType, Module, Package
                    case 15 -> 4;                                 // MethodHandle
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> 5;        // Integer, Float, refs, NameAndType, (Invoke)Dynamic
                    case 5, 6 -> 9;                               // Long, Double: two entries
                    default -> throw new IllegalArgumentException("tag " + tag);
                };
                if (tag == 5 || tag == 6) {
                    i++;
                }
            }
            int thisClass = u2(b, at + 2);   // after access_flags
            int classEntry = offsets[thisClass];
            if ((b[classEntry] & 0xff) != 7) {
                return null;
            }
            int utf8 = offsets[u2(b, classEntry + 1)];
            if ((b[utf8] & 0xff) != 1) {
                return null;
            }
            int length = u2(b, utf8 + 1);
            if (length == 0 || length > 200) {
                return null;
            }
            String fresh = "Z" + Long.toString(names++, 36);
            StringBuilder name = new StringBuilder(fresh.length() >= length ? fresh.substring(fresh.length() - length) : fresh);
            while (name.length() < length) {
                name.insert(1, '0');
            }
            byte[] bytes = name.toString().getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(bytes, 0, b, utf8 + 3, length);
            return name.charAt(0) == '/' ? null : name.toString();
        } catch (RuntimeException notAClassFile) {
            return null;
        }
    }

    private static int u2(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }
}
