package org.vheap.device.vm.natives;

import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.Vm;

/**
 * Native libraries, which a device has none of. The JDK's own ({@code net}, {@code nio}: what its classes load
 * through {@code BootLoader.loadLibrary}) are the VM's natives, so loading one does nothing; an app's library is
 * looked for on the device's {@code java.library.path} (empty) and not found, so {@code System.loadLibrary} throws
 * the UnsatisfiedLinkError HotSpot throws with that path ({@code no x in java.library.path: }).
 */
final class LibraryNatives {
    private static final String BOOT_LOADER = "jdk/internal/loader/BootLoader";

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
                    throw new JavaError("java/lang/UnsatisfiedLinkError", "no "
                            + vm.strings().hostString((int) s[b + 1]) + " in java.library.path: " + SystemNatives.LIBRARY_PATH);
                });
    }
}
