// Inner, anonymous and local classes capturing variables; static nested classes; outer field access.
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

public class O05NestedClasses {
    private int counter = 100;
    private static int staticCounter = 7;

    class Inner {
        int id = ++counter;
        String show() { return "Inner " + id + " of outer counter " + counter; }
        class Deeper {
            String show() { return "Deeper in " + Inner.this.show() + " outer=" + O05NestedClasses.this.counter; }
        }
    }

    static class Nested {
        String show() { return "Nested static=" + staticCounter; }
    }

    interface Greeter { String greet(String who); }

    Greeter make(String prefix) {
        int local = counter;
        class LocalGreeter implements Greeter {
            int uses;
            public String greet(String who) { uses++; return prefix + " " + who + " (local=" + local + ", uses=" + uses + ", counter=" + counter + ")"; }
        }
        return new LocalGreeter();
    }

    List<Supplier<String>> suppliers() {
        List<Supplier<String>> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            final int copy = i;
            out.add(new Supplier<String>() {
                int calls;
                @Override public String get() { calls++; counter += copy; return "anon " + copy + " calls=" + calls + " counter=" + counter; }
            });
        }
        return out;
    }

    public static void main(String[] args) {
        O05NestedClasses outer = new O05NestedClasses();
        O05NestedClasses.Inner in1 = outer.new Inner();
        O05NestedClasses.Inner in2 = outer.new Inner();
        System.out.println(in1.show());
        System.out.println(in2.show());
        Inner.Deeper deeper = in1.new Deeper();
        System.out.println(deeper.show());
        System.out.println(new Nested().show());
        Greeter g = outer.make("Hello");
        System.out.println(g.greet("Ann"));
        outer.counter = 5;
        System.out.println(g.greet("Bob"));
        for (Supplier<String> s : outer.suppliers()) {
            System.out.println(s.get());
            System.out.println(s.get());
        }
        Runnable r = new Runnable() {
            int n = staticCounter;
            public void run() { System.out.println("runnable n=" + n + " " + getClass().getSuperclass().getSimpleName()); }
        };
        r.run();
        Object anon = new Object() { @Override public String toString() { return "custom toString"; } };
        System.out.println(anon + " " + anon.getClass().getName() + " anonymous=" + anon.getClass().isAnonymousClass());
        System.out.println(Inner.class.getName() + " " + Inner.Deeper.class.getSimpleName() + " " + Nested.class.getEnclosingClass().getSimpleName());
        System.out.println(g.getClass().getName() + " local=" + g.getClass().isLocalClass());
    }
}
