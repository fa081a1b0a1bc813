// Generics with bridge methods, covariant returns, bounded types, generic methods, raw types and heap pollution
// caught as ClassCastException at the use site, interface generic default methods.
import java.util.ArrayList;
import java.util.List;

public class O09GenericsAndBridges {
    interface Shape extends Comparable<Shape> {
        double area();
        default int compareTo(Shape o) { return Double.compare(area(), o.area()); }
    }

    record Sq(double s) implements Shape { public double area() { return s * s; } }
    record Rect(double w, double h) implements Shape { public double area() { return w * h; } }

    static abstract class Box<T> {
        abstract T get();
        Box<T> self() { return this; }
    }

    static class IntBox extends Box<Integer> {
        final int v;
        IntBox(int v) { this.v = v; }
        @Override Integer get() { return v; }
        @Override IntBox self() { return this; }
    }

    interface Transformer<A, B> { B apply(A a); }

    static class Lengths implements Transformer<String, Integer> {
        public Integer apply(String s) { return s.length(); }
    }

    static <T extends Comparable<? super T>> T max(List<? extends T> xs) {
        T best = null;
        for (T x : xs) if (best == null || x.compareTo(best) > 0) best = x;
        return best;
    }

    @SafeVarargs
    static <T> List<T> listOf(T... xs) {
        List<T> out = new ArrayList<>();
        for (T x : xs) out.add(x);
        return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void main(String[] args) throws Exception {
        Box<Integer> b = new IntBox(7);
        System.out.println(b.get() + 1 + " " + b.self().getClass().getSimpleName());
        Transformer raw = new Lengths();
        System.out.println(raw.apply("hello"));
        try {
            raw.apply(42);
        } catch (ClassCastException e) {
            System.out.println("bridge cast: " + e.getMessage());
        }
        List<Shape> shapes = listOf(new Sq(2), new Rect(1, 5), new Sq(1.5));
        System.out.println(max(shapes) + " " + max(listOf(3, 9, 4)) + " " + max(listOf("pear", "apple")));
        List rawList = new ArrayList<String>();
        rawList.add(12);
        List<String> strings = rawList;
        try {
            String s = strings.get(0);
            System.out.println(s);
        } catch (ClassCastException e) {
            System.out.println("heap pollution: " + e.getMessage());
        }
        Object o = strings.get(0);
        System.out.println("as Object: " + o);
        int bridges = 0;
        for (var m : IntBox.class.getDeclaredMethods()) if (m.isBridge()) bridges++;
        System.out.println("IntBox bridge methods: " + bridges);
        Comparable<Shape> c = new Sq(3);
        System.out.println(c.compareTo(new Rect(3, 3)) + " " + new Sq(1).compareTo(new Rect(2, 1)));
    }
}
