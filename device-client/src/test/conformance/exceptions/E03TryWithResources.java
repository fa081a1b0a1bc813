// try-with-resources: close order, suppressed exceptions, exceptions in close only, null resources, addSuppressed,
// printStackTrace with "Suppressed:".
public class E03TryWithResources {
    static class Res implements AutoCloseable {
        final String name; final boolean failClose;
        Res(String name, boolean failClose) { this.name = name; this.failClose = failClose; System.out.println("open " + name); }
        @Override public void close() {
            System.out.println("close " + name);
            if (failClose) throw new IllegalStateException("close failed: " + name);
        }
    }

    public static void main(String[] args) {
        try (Res a = new Res("a", false); Res b = new Res("b", false)) {
            System.out.println("body uses " + a.name + b.name);
        }
        try (Res a = new Res("a", true); Res b = new Res("b", true)) {
            throw new RuntimeException("body failed");
        } catch (RuntimeException e) {
            System.out.println("caught " + e.getMessage());
            for (Throwable s : e.getSuppressed()) System.out.println("  suppressed " + s.getMessage());
        }
        try (Res a = new Res("only-close", true)) {
            System.out.println("body ok");
        } catch (IllegalStateException e) {
            System.out.println("caught from close: " + e.getMessage() + " suppressed=" + e.getSuppressed().length);
        }
        try (Res n = null) {
            System.out.println("null resource is fine");
        }
        try (Res a = new Res("outer", false)) {
            try (Res b = new Res("inner", true)) {
                System.out.println("nested body");
            } finally {
                System.out.println("inner finally");
            }
        } catch (IllegalStateException e) {
            System.out.println("nested caught " + e.getMessage());
        } finally {
            System.out.println("outer finally");
        }
        try {
            try (Res a = new Res("ctor-ok", true); Res b = failingOpen()) {
                System.out.println("never");
            }
        } catch (RuntimeException e) {
            System.out.println("open failed: " + e.getMessage() + " suppressed " + e.getSuppressed().length + " " + e.getSuppressed()[0].getMessage());
        }
        Res shared = new Res("effectively-final", false);
        try (shared) {
            System.out.println("java 9 style");
        }
        Exception main = new Exception("main");
        main.addSuppressed(new RuntimeException("s1"));
        main.addSuppressed(new Error("s2", new RuntimeException("s2-cause")));
        main.printStackTrace(System.out);
        try {
            main.addSuppressed(main);
        } catch (IllegalArgumentException e) {
            System.out.println("self-suppression: " + e.getMessage());
        }
    }

    static Res failingOpen() { throw new RuntimeException("cannot open"); }
}
