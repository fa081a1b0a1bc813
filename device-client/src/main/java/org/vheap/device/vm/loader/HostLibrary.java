package org.vheap.device.vm.loader;

/**
 * Which host JDK's class library the device VM can run. The VM boots and interprets the host's own library
 * ({@code java.base} and the rest, read from {@code jrt:/}), and its boot sequence and natives follow that
 * library's classes, fields and methods — those of JDK {@value #FEATURE}. Another release's differ (JDK 25's
 * {@code Thread} has no {@code priority} field, say), so a device on it would fail deep inside the boot; it is
 * refused up front instead, saying what to do.
 */
public final class HostLibrary {
    /** The JDK feature release whose class library the VM runs. */
    public static final int FEATURE = 17;

    private HostLibrary() {
    }

    /** Why a host JDK of this feature release cannot run the VM, or null when it can. */
    public static String refusal(int hostFeature) {
        if (hostFeature == FEATURE) {
            return null;
        }
        return "the device VM runs the host JDK's own class library, which must be JDK " + FEATURE + "'s; this is JDK "
                + hostFeature + ": start the device with a JDK " + FEATURE + " (JAVA=/path/to/jdk-" + FEATURE
                + "/bin/java ./vheap device ...)";
    }
}
