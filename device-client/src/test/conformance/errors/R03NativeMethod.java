// A native method declared by the program and called without a library: UnsatisfiedLinkError with its message;
// System.loadLibrary of a missing library.
public class R03NativeMethod {
    static native void foo();
    native int bar(String s, long[] arr);
    static native double baz(int a, double b, Object c);

    public static void main(String[] args) {
        try {
            foo();
        } catch (UnsatisfiedLinkError e) {
            System.out.println("foo: " + e.getMessage());
        }
        try {
            new R03NativeMethod().bar("x", null);
        } catch (UnsatisfiedLinkError e) {
            System.out.println("bar: " + e.getMessage());
        }
        try {
            baz(1, 2.0, null);
        } catch (UnsatisfiedLinkError e) {
            System.out.println("baz: " + e);
        }
        try {
            foo();
        } catch (UnsatisfiedLinkError e) {
            System.out.println("foo again: " + e.getMessage());
        }
        System.out.println("done");
    }
}
