package p;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Compiled with --release 8: javac names private instance methods (lambda bodies, this::m) with REF_invokeSpecial,
 * which LambdaMetafactory turns into a virtual call.
 */
public class Main {
    private final String name;

    Main(String name) { this.name = name; }

    private String secret(String suffix) { return name + suffix; }

    Supplier<String> lambda() { return () -> name + secret("!"); }

    Function<String, String> reference() { return this::secret; }

    static class Sub extends Main {
        Sub() { super("sub"); }

        // not an override: Main.secret is private
        public String secret(String suffix) { return "Sub.secret" + suffix; }
    }

    public static void main(String[] args) {
        Main m = new Main("m");
        System.out.println(m.lambda().get() + " " + m.reference().apply("?"));
        Main sub = new Sub();
        System.out.println(sub.lambda().get() + " " + sub.reference().apply("?"));
        Runnable r = () -> System.out.println("static body");
        r.run();
        System.out.println("concat " + m.name + 1 + 'c');
    }
}
