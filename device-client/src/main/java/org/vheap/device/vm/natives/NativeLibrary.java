package org.vheap.device.vm.natives;

import org.vheap.device.vm.Vm;
import org.vheap.device.vm.interp.MethodInvoker;
import org.vheap.device.vm.interp.Backtraces;

/** Registers every native and substitution of the device VM, one JDK area per class. */
public final class NativeLibrary {
    private NativeLibrary() {
    }

    /** Registers them all; the app's own files ({@link FileNatives}) hold at most {@code fileSpace} bytes together. */
    public static void registerAll(Natives n, Vm vm, MethodInvoker invoker, Backtraces backtraces, BlockingCalls blocking,
                                   long fileSpace) {
        ObjectNatives.register(n, vm);
        ClassNatives.register(n, vm);
        SystemNatives.register(n, vm);
        NumberNatives.register(n, vm);
        ThrowableNatives.register(n, vm, backtraces);
        ThreadNatives.register(n, vm, invoker);
        blocking.register(n);
        UnsafeNatives.register(n, vm);
        FileNatives.register(n, vm, fileSpace);
        MountNatives.register(n, vm);
        LibraryNatives.register(n, vm);
        ChannelNatives.register(n, vm);
        PathNatives.register(n, vm);
        SocketNatives.register(n, vm);
        ReferenceNatives.register(n, vm);
        ArrayNatives.register(n, vm);
        LocaleNatives.register(n, vm);
        ReflectionNatives.register(n, vm);
        VarHandleNatives.register(n, vm);
        DigestNatives.register(n, vm);
    }
}
