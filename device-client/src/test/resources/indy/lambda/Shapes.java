package p;

import java.util.function.Supplier;

/** An interface whose default method makes a lambda capturing this (a private interface method as the body). */
interface Shapes {
    String name();

    default Supplier<String> describer(String prefix) {
        return () -> prefix + name() + suffix();
    }

    private String suffix() {
        return "!";
    }

    static Supplier<String> fixed() {
        return () -> "fixed";
    }
}
