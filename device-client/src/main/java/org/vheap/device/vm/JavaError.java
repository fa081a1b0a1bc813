package org.vheap.device.vm;

import org.vheap.device.vm.loader.VmMethod;

/**
 * Signals, from VM code (loader, linker, natives), a Java exception that the interpreter must throw into the
 * app: {@code className} is the exception's internal name (e.g. {@code java/lang/NoClassDefFoundError}) and
 * the message becomes its detail message. Never escapes the VM.
 */
public final class JavaError extends RuntimeException {
    private final String className;
    private final int cause;

    public JavaError(String className, String message) {
        this(className, message, 0);
    }

    /** An error whose cause is an existing Java throwable (a heap reference; 0 for none). */
    public JavaError(String className, String message, int cause) {
        super(message, null, false, false);
        this.className = className;
        this.cause = cause;
    }

    /** The cause to record in the Java exception, a heap reference, or 0. */
    public int cause() {
        return cause;
    }

    public String className() {
        return className;
    }

    /** A class that no source has: on HotSpot, the app's class loader threw ClassNotFoundException. */
    public static JavaError noClassDefFound(String internalName) {
        JavaError e = new JavaError("java/lang/NoClassDefFoundError", internalName);
        e.missingClass = internalName;
        return e;
    }

    private String missingClass;

    /** For an error raised because a class file was not found: the class's internal name; else null. */
    public String missingClass() {
        return missingClass;
    }

    /**
     * Where in the JDK's application class loader HotSpot throws an error about an app class — Java code the device
     * VM does not run, whose methods HotSpot's stack trace starts with.
     */
    public enum AppLoaderStep {
        /** Not thrown by the app class loader. */
        NONE,
        /** {@code BuiltinClassLoader.loadClass} threw ClassNotFoundException: no class file. */
        LOAD_CLASS,
        /** {@code ClassLoader.defineClass1} threw: the class file does not define the class (format, version, name). */
        DEFINE_CLASS
    }

    private AppLoaderStep appLoaderStep = AppLoaderStep.NONE;

    /** Records that HotSpot's app class loader throws this error at {@code step}. */
    public JavaError thrownIn(AppLoaderStep step) {
        appLoaderStep = step;
        return this;
    }

    /** Where the app class loader throws this error on HotSpot ({@link AppLoaderStep#NONE}: it does not). */
    public AppLoaderStep appLoaderStep() {
        return appLoaderStep;
    }

    private VmMethod nativeMethod;

    /**
     * Records that the native method {@code m} threw this error (ignored when {@code m} is a substitution for a
     * method with bytecode): its stack trace starts with {@code m} (Native Method), as HotSpot's does.
     */
    public JavaError thrownBy(VmMethod m) {
        if (nativeMethod == null && m.isNative()) {
            nativeMethod = m;
        }
        return this;
    }

    /** The native method that threw this error, or null. */
    public VmMethod nativeMethod() {
        return nativeMethod;
    }

    public static JavaError classFormat(String message) {
        return new JavaError("java/lang/ClassFormatError", message);
    }

    public static JavaError verify(String message) {
        return new JavaError("java/lang/VerifyError", message);
    }

    @Override
    public String toString() {
        return className.replace('/', '.') + (getMessage() == null ? "" : ": " + getMessage());
    }
}
