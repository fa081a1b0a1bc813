package org.vheap.device.vm.natives;

import java.util.ArrayList;
import java.util.List;
import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.Vm;
import org.vheap.format.ObjectLayout;
import org.vheap.device.vm.loader.VmClass;
import org.vheap.device.vm.thread.Activation;

/**
 * java.lang.System, Runtime and Shutdown, and the VM-facing JDK internals the library's start-up calls
 * (jdk.internal.misc.VM, CDS, SystemProps.Raw, Signal, AccessController, Reflection, UnsafeConstants).
 * The system properties a device reports are fixed and documented here: an app sees the same values on every
 * device, so a resumed heap finds what it saw before.
 */
final class SystemNatives {
    /** The device's {@code java.library.path}: no directory holds a native library. */
    static final String LIBRARY_PATH = "";
    /** Properties the VM reports (SystemProps.Raw.vmProperties), as key/value pairs. */
    static final String[] VM_PROPERTIES = {
        "java.home", "/vheap/jdk",
        "java.vm.name", "vheap device VM",
        "java.vm.vendor", "vheap",
        "java.vm.version", "0.1",
        "java.vm.info", "interpreted mode",
        "java.vm.specification.name", "Java Virtual Machine Specification",
        "java.vm.specification.vendor", "Oracle Corporation",
        "java.vm.specification.version", "17",
        "java.library.path", LIBRARY_PATH,
        "sun.boot.library.path", "",
        "java.class.path", "",
        "jdk.debug", "release",
        "sun.nio.MaxDirectMemorySize", "-1",
        "sun.nio.PageAlignDirectMemory", "false",
        "java.class.version", "61.0",
    };

    private SystemNatives() {
    }

    static void register(Natives n, Vm vm) {
        String s0 = "java/lang/System";
        n.register(s0, "currentTimeMillis", "()J", (t, s, b) -> vm.currentTimeMillis());
        n.register(s0, "nanoTime", "()J", (t, s, b) -> vm.nanoTime());
        n.register(s0, "identityHashCode", "(Ljava/lang/Object;)I", (t, s, b) -> (int) s[b] == 0 ? 0 : vm.identityHash((int) s[b]));
        n.register(s0, "arraycopy", "(Ljava/lang/Object;ILjava/lang/Object;II)V", (t, s, b) -> {
            arraycopy(vm, (int) s[b], (int) s[b + 1], (int) s[b + 2], (int) s[b + 3], (int) s[b + 4]);
            return 0;
        });
        n.register(s0, "setIn0", "(Ljava/io/InputStream;)V", (t, s, b) -> setStatic(vm, "in", (int) s[b]));
        n.register(s0, "setOut0", "(Ljava/io/PrintStream;)V", (t, s, b) -> setStatic(vm, "out", (int) s[b]));
        n.register(s0, "setErr0", "(Ljava/io/PrintStream;)V", (t, s, b) -> setStatic(vm, "err", (int) s[b]));
        n.register(s0, "mapLibraryName", "(Ljava/lang/String;)Ljava/lang/String;",
                (t, s, b) -> vm.strings().intern("lib" + vm.strings().hostString((int) s[b]) + ".so"));

        String rt = "java/lang/Runtime";
        n.register(rt, "availableProcessors", "()I", (t, s, b) -> 1);
        n.register(rt, "freeMemory", "()J", (t, s, b) -> Math.max(0, vm.allocator().limit() - vm.allocator().top()));
        n.register(rt, "totalMemory", "()J", (t, s, b) -> vm.allocator().top());
        n.register(rt, "maxMemory", "()J", (t, s, b) -> vm.allocator().limit());
        n.register(rt, "gc", "()V", (t, s, b) -> 0);
        n.register("java/lang/Shutdown", "beforeHalt", "()V", (t, s, b) -> 0);
        n.register("java/lang/Shutdown", "halt0", "(I)V", (t, s, b) -> {
            vm.halt((int) s[b]);
            return 0;
        });

        String v = "jdk/internal/misc/VM";
        n.register(v, "initialize", "()V", (t, s, b) -> 0);
        n.register(v, "latestUserDefinedLoader0", "()Ljava/lang/ClassLoader;", (t, s, b) -> 0);
        n.register(v, "getNanoTimeAdjustment", "(J)J", (t, s, b) -> {
            long offsetSeconds = s[b];
            long nowNanos = vm.currentTimeMillis() * 1_000_000L;
            return nowNanos - offsetSeconds * 1_000_000_000L;
        });
        n.register(v, "getRuntimeArguments", "()[Ljava/lang/String;", (t, s, b) -> vm.newArray(vm.classes().load("[Ljava/lang/String;"), 0));
        for (String id : new String[] {"getuid", "geteuid", "getgid", "getegid"}) {
            n.register(v, id, "()J", (t, s, b) -> 0);
        }
        String cds = "jdk/internal/misc/CDS";
        n.register(cds, "isDumpingClassList0", "()Z", (t, s, b) -> 0);
        n.register(cds, "isDumpingArchive0", "()Z", (t, s, b) -> 0);
        n.register(cds, "isSharingEnabled0", "()Z", (t, s, b) -> 0);
        n.register(cds, "initializeFromArchive", "(Ljava/lang/Class;)V", (t, s, b) -> 0);
        n.register(cds, "defineArchivedModules", "(Ljava/lang/ClassLoader;Ljava/lang/ClassLoader;)V", (t, s, b) -> 0);
        n.register(cds, "getRandomSeedForDumping", "()J", (t, s, b) -> 0);
        n.register(cds, "logLambdaFormInvoker", "(Ljava/lang/String;)V", (t, s, b) -> 0);

        String raw = "jdk/internal/util/SystemProps$Raw";
        n.register(raw, "vmProperties", "()[Ljava/lang/String;", (t, s, b) -> stringArray(vm, List.of(VM_PROPERTIES)));
        n.register(raw, "platformProperties", "()[Ljava/lang/String;", (t, s, b) -> platformProperties(vm));

        // System.getLogger asks whether its caller's module is the JDK's; a device runs no module system (a class's
        // module is null), and every logger is the system's
        n.register("jdk/internal/logger/DefaultLoggerFinder", "isSystem", "(Ljava/lang/Module;)Z", (t, s, b) -> 1);
        // nor a boot layer: SecurityManager's table of packages no module exports stays empty
        n.register("java/lang/SecurityManager", "addNonExportedPackages", "(Ljava/lang/ModuleLayer;)V", Natives.nothing());
        n.register("jdk/internal/misc/Signal", "findSignal0", "(Ljava/lang/String;)I", (t, s, b) -> -1);
        n.register("jdk/internal/misc/Signal", "handle0", "(IJ)J", (t, s, b) -> 0);
        String ac = "java/security/AccessController";
        n.register(ac, "getStackAccessControlContext", "()Ljava/security/AccessControlContext;", (t, s, b) -> 0);
        n.register(ac, "getInheritedAccessControlContext", "()Ljava/security/AccessControlContext;", (t, s, b) -> 0);
        n.register(ac, "ensureMaterializedForStackWalk", "(Ljava/lang/Object;)V", (t, s, b) -> 0);
        n.register(ac, "getProtectionDomain", "(Ljava/lang/Class;)Ljava/security/ProtectionDomain;", (t, s, b) -> 0);
        String refl = "jdk/internal/reflect/Reflection";
        n.register(refl, "getCallerClass", "()Ljava/lang/Class;", (t, s, b) -> {
            // activations[depth-1] called getCallerClass; its caller is the answer
            for (int i = t.depth - 2; i >= 0; i--) {
                Activation act = t.activations[i];
                String owner = act.method.owner().name();
                if (!owner.equals("java/lang/reflect/Method") && !owner.startsWith("jdk/internal/reflect/")) {
                    return act.method.owner().mirror();
                }
            }
            return 0;
        });
        n.register(refl, "getClassAccessFlags", "(Ljava/lang/Class;)I", (t, s, b) -> vm.mirrors().classOf((int) s[b]).access() & 0xFFFF);
        n.register(refl, "areNestMates", "(Ljava/lang/Class;Ljava/lang/Class;)Z", (t, s, b) -> 1);
    }

    private static long setStatic(Vm vm, String name, int value) {
        VmClass system = vm.classes().load("java/lang/System");
        vm.putRef(ObjectLayout.address(system.mirror()) + system.declaredField(name).offset(), value);
        return 0;
    }

    private static int stringArray(Vm vm, List<String> values) {
        int arr = vm.newArray(vm.classes().load("[Ljava/lang/String;"), values.size());
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) != null) {
                vm.putRef(Vm.elementAddress(arr, i, 2), vm.strings().intern(values.get(i)));
            }
        }
        return arr;
    }

    private static int platformProperties(Vm vm) {
        VmClass raw = vm.classes().load("jdk/internal/util/SystemProps$Raw");
        int length = (Integer) raw.declaredField("FIXED_LENGTH").constantValue();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            values.add(null);
        }
        String[][] fixed = {
            {"_file_encoding_NDX", "UTF-8"}, {"_file_separator_NDX", "/"}, {"_java_io_tmpdir_NDX", "/tmp"},
            {"_line_separator_NDX", "\n"}, {"_os_arch_NDX", "vheap"}, {"_os_name_NDX", "Linux"},
            {"_os_version_NDX", "vheap"}, {"_path_separator_NDX", ":"}, {"_sun_arch_data_model_NDX", "64"},
            {"_sun_cpu_endian_NDX", "little"}, {"_sun_io_unicode_encoding_NDX", "UnicodeLittle"},
            {"_sun_jnu_encoding_NDX", "UTF-8"}, {"_sun_stdout_encoding_NDX", "UTF-8"},
            {"_sun_stderr_encoding_NDX", "UTF-8"}, {"_user_dir_NDX", "/vheap"},
            {"_user_home_NDX", "/vheap"}, {"_user_name_NDX", "vheap"}, {"_display_language_NDX", "en"},
            {"_format_language_NDX", "en"},
        };
        for (String[] kv : fixed) {
            var f = raw.declaredField(kv[0]);
            if (f != null) {
                values.set((Integer) f.constantValue(), kv[1]);
            }
        }
        return stringArray(vm, values);
    }

    /** System.arraycopy with HotSpot's checks and messages (JDK 17). */
    static void arraycopy(Vm vm, int src, int srcPos, int dst, int dstPos, int length) {
        if (src == 0 || dst == 0) {
            throw new JavaError("java/lang/NullPointerException", null);
        }
        VmClass sc = vm.classOf(src);
        VmClass dc = vm.classOf(dst);
        if (!sc.isArray()) {
            throw new JavaError("java/lang/ArrayStoreException", "arraycopy: source type " + sc.javaName() + " is not an array");
        }
        if (!dc.isArray()) {
            throw new JavaError("java/lang/ArrayStoreException", "arraycopy: destination type " + dc.javaName() + " is not an array");
        }
        boolean sRef = !sc.component().isPrimitive();
        boolean dRef = !dc.component().isPrimitive();
        if (sRef != dRef || (!sRef && sc != dc)) {
            throw new JavaError("java/lang/ArrayStoreException", "arraycopy: type mismatch: can not copy "
                    + typeName(sc) + "[] into " + typeName(dc) + "[]");
        }
        int sLen = vm.arrayLength(src);
        int dLen = vm.arrayLength(dst);
        if (srcPos < 0) {
            throw bounds("arraycopy: source index " + srcPos + " out of bounds for " + typeName(sc) + "[" + sLen + "]");
        }
        if (dstPos < 0) {
            throw bounds("arraycopy: destination index " + dstPos + " out of bounds for " + typeName(dc) + "[" + dLen + "]");
        }
        if (length < 0) {
            throw bounds("arraycopy: length " + length + " is negative");
        }
        if ((long) srcPos + length > sLen) {
            throw bounds("arraycopy: last source index " + ((long) srcPos + length) + " out of bounds for " + typeName(sc) + "[" + sLen + "]");
        }
        if ((long) dstPos + length > dLen) {
            throw bounds("arraycopy: last destination index " + ((long) dstPos + length) + " out of bounds for " + typeName(dc) + "[" + dLen + "]");
        }
        if (length == 0) {
            return;
        }
        int shift = sc.elementShift();
        if (!sRef || sc.component().isSubtypeOf(dc.component()) || src == dst) {
            vm.memory().copy(Vm.elementAddress(src, srcPos, shift), Vm.elementAddress(dst, dstPos, shift), (long) length << shift);
            if (sRef) {
                vm.barrier().rememberSlots(Vm.elementAddress(dst, dstPos, 2), length);   // copied past the barrier
            }
            return;
        }
        VmClass target = dc.component();
        for (int i = 0; i < length; i++) {
            int e = vm.memory().getInt(Vm.elementAddress(src, srcPos + i, 2));
            if (e != 0 && !vm.classOf(e).isSubtypeOf(target)) {
                throw new JavaError("java/lang/ArrayStoreException", "arraycopy: element type mismatch: can not cast one of the elements of "
                        + sc.component().javaName() + "[] to the type of the destination array, " + target.javaName());
            }
            vm.putRef(Vm.elementAddress(dst, dstPos + i, 2), e);
        }
    }

    private static JavaError bounds(String message) {
        return new JavaError("java/lang/ArrayIndexOutOfBoundsException", message);
    }

    private static String typeName(VmClass arrayClass) {
        VmClass c = arrayClass.component();
        return c.isPrimitive() ? c.name() : "object array";
    }
}
