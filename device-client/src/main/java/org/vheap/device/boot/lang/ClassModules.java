package org.vheap.device.boot.lang;

/**
 * {@code Class.getModule} asked again: the VM's answer (the boot loader's unnamed module) needs the JDK's loaders up,
 * so a first call before them initializes them and then asks here, through an ordinary call of the substituted method.
 */
public final class ClassModules {
    private ClassModules() {
    }

    public static Module moduleOf(Class<?> c) {
        return c.getModule();
    }
}
