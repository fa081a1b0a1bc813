package org.vheap.device.vm.natives;

import java.util.HashMap;
import java.util.Map;
import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.loader.MethodNames;
import org.vheap.device.vm.loader.VmMethod;

/**
 * The one place where native methods and intrinsic substitutions are registered, by
 * {@code owner.name(descriptor)}. A native with no registration fails when first called with
 * UnsatisfiedLinkError, as on HotSpot; {@code registerNatives} and {@code initIDs} need none.
 *
 * <p>A substitution may also replace a method that has bytecode (for instance where the JDK would use
 * reflection or java.lang.invoke, which the device VM does not run).
 */
public final class Natives {
    private static final NativeMethod NOTHING = (t, s, b) -> 0;
    private final Map<String, NativeMethod> byKey = new HashMap<>();

    /** Registers {@code impl} for {@code owner.name+descriptor}, e.g. ("java/lang/Object", "hashCode", "()I"). */
    public void register(String owner, String name, String descriptor, NativeMethod impl) {
        if (byKey.put(owner + "." + name + descriptor, impl) != null) {
            throw new IllegalStateException("registered twice: " + owner + "." + name + descriptor);
        }
    }

    /** The implementation of a native method; UnsatisfiedLinkError when there is none. */
    public NativeMethod bind(VmMethod m) {
        NativeMethod impl = byKey.get(key(m));
        if (impl != null) {
            return impl;
        }
        if (m.name().equals("registerNatives") || m.name().equals("initIDs")) {
            return NOTHING;
        }
        throw new JavaError("java/lang/UnsatisfiedLinkError",
                "'" + MethodNames.readable(m.name(), m.descriptor(), m.owner().javaName()) + "'");
    }

    /** A substitution for a method that has bytecode, or null. */
    public NativeMethod substitution(VmMethod m) {
        return byKey.get(key(m));
    }

    private static String key(VmMethod m) {
        return m.owner().name() + "." + m.name() + m.descriptor();
    }

    /** A native that does nothing and returns 0/null/false. */
    public static NativeMethod nothing() {
        return NOTHING;
    }
}
