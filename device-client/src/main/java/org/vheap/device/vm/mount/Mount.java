package org.vheap.device.vm.mount;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A host directory a device exposes to its apps at {@code point} in their file systems ({@code --mount
 * HOSTDIR:/PATH[:ro]}): the device's resource {@code mount:/PATH}, which an app leases when it first uses it.
 *
 * @param hostDir  the host directory (absolute, real)
 * @param point    where apps see it: an absolute, normalized path other than {@code /}
 * @param readOnly whether apps may only read it
 */
public record Mount(Path hostDir, String point, boolean readOnly) {
    /** The prefix of a mount's resource name. */
    public static final String RESOURCE_PREFIX = "mount:";

    public Mount {
        if (!point.startsWith("/") || point.equals("/") || point.endsWith("/") || point.contains("//")
                || point.contains("/./") || point.contains("/../") || point.endsWith("/..") || point.endsWith("/.")) {
            throw new IllegalArgumentException("a mount point must be an absolute path other than / with no . or .. "
                    + "(like /data), got '" + point + "'");
        }
    }

    /**
     * Parses {@code HOSTDIR:/PATH[:ro]}; the host directory must exist.
     *
     * @throws IllegalArgumentException saying what to fix
     */
    public static Mount parse(String spec) {
        String s = spec;
        boolean readOnly = false;
        if (s.endsWith(":ro")) {
            readOnly = true;
            s = s.substring(0, s.length() - 3);
        } else if (s.endsWith(":rw")) {
            s = s.substring(0, s.length() - 3);
        }
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("a mount is HOSTDIR:/PATH or HOSTDIR:/PATH:ro, got '" + spec + "'");
        }
        Path dir = Path.of(s.substring(0, colon));
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("mount " + spec + ": " + dir + " is not a directory on this host");
        }
        try {
            dir = dir.toRealPath();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("mount " + spec + ": cannot resolve " + dir + " (" + e.getMessage() + ")");
        }
        return new Mount(dir, s.substring(colon + 1), readOnly);
    }

    /** The device resource apps lease to use it. */
    public String resource() {
        return RESOURCE_PREFIX + point;
    }

    @Override
    public String toString() {
        return hostDir + ":" + point + (readOnly ? ":ro" : "");
    }
}
