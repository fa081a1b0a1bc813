package org.vheap.device.vm.natives;

import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.Vm;

/**
 * Native libraries, which a device has none of. The JDK's own ({@code net}, {@code nio}: what its classes load
 * through {@code BootLoader.loadLibrary}; {@code extnet}, which {@code jdk.net} loads with {@code System.loadLibrary})
 * are the VM's natives, so loading one does nothing; an app's library is
 * looked for on the device's {@code java.library.path} (empty) and not found, so {@code System.loadLibrary} throws
 * the UnsatisfiedLinkError HotSpot throws with that path ({@code no x in java.library.path: }).
 */
final class LibraryNatives {
    private static final String BOOT_LOADER = "jdk/internal/loader/BootLoader";
    /** The JDK's libraries that its modules outside java.base load with System.loadLibrary, whose natives the VM has. */
    private static final java.util.Set<String> JDK_LIBRARIES = java.util.Set.of("extnet");

    private LibraryNatives() {
    }

    static void register(Natives n, Vm vm) {
        n.register(BOOT_LOADER, "setBootLoaderUnnamedModule0", "(Ljava/lang/Module;)V", Natives.nothing());
        n.register(BOOT_LOADER, "loadLibrary", "(Ljava/lang/String;)V", Natives.nothing());
        // no library is built into the VM: the JDK then searches the library path, and finds nothing there
        n.register("jdk/internal/loader/NativeLibraries", "findBuiltinLib", "(Ljava/lang/String;)Ljava/lang/String;",
                Natives.nothing());
        // System.loadLibrary and Runtime.loadLibrary: HotSpot's search of java.library.path, which finds nothing here
        n.register("java/lang/ClassLoader", "loadLibrary", "(Ljava/lang/Class;Ljava/lang/String;)Ljdk/internal/loader/NativeLibrary;",
                (t, s, b) -> {
                    String name = vm.strings().hostString((int) s[b + 1]);
                    if (JDK_LIBRARIES.contains(name)) {
                        return 0;   // the VM's natives: loaded
                    }
                    throw new JavaError("java/lang/UnsatisfiedLinkError", "no " + name + " in java.library.path: "
                            + SystemNatives.LIBRARY_PATH);
                });
    }
}
