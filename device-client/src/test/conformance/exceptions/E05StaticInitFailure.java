// An exception in a static initializer: ExceptionInInitializerError on first use, NoClassDefFoundError on later uses.
public class E05StaticInitFailure {
    static class Bad {
        static int value = compute();
        static int compute() { throw new IllegalStateException("boom in clinit"); }
        static void hello() { System.out.println("never"); }
    }

    static class BadChecked {
        static final Object X;
        static {
            if (Boolean.parseBoolean("true")) throw new ArithmeticException("static block");
            X = "x";
        }
    }

    static class Good {
        static { System.out.println("Good initialized"); }
        static int v = 5;
    }

    public static void main(String[] args) {
        for (int i = 0; i < 3; i++) {
            try {
                System.out.println(Bad.value);
            } catch (ExceptionInInitializerError e) {
                System.out.println(i + ": " + e.getClass().getName() + " msg=" + e.getMessage() + " cause=" + e.getCause());
            } catch (NoClassDefFoundError e) {
                System.out.println(i + ": " + e.getClass().getName() + " msg=" + e.getMessage() + " cause=" + e.getCause());
            }
        }
        try {
            Bad.hello();
        } catch (NoClassDefFoundError e) {
            System.out.println("method: " + e.getMessage());
        }
        try {
            new BadChecked();
        } catch (Throwable e) {
            System.out.println("new: " + e + " / " + e.getCause());
        }
        try {
            System.out.println(BadChecked.X);
        } catch (Throwable e) {
            System.out.println("field: " + e);
        }
        try {
            Object[] arr = new BadChecked[2];
            System.out.println("array creation does not initialize: " + arr.length);
        } catch (Throwable e) {
            System.out.println("unexpected " + e);
        }
        System.out.println(Good.v);
    }
}
