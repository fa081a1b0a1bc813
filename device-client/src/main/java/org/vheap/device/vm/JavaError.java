package org.vheap.device.vm;

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

    public static JavaError noClassDefFound(String internalName) {
        return new JavaError("java/lang/NoClassDefFoundError", internalName);
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
