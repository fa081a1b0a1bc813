package p;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Records: toString, hashCode and equals of every component type. */
public class Main {
    record Prims(boolean z, byte b, short s, char c, int i, long l, float f, double d) {}

    record Refs(String s, Object o, int[] ints, char[] chars, List<String> list, Integer boxed) {}

    record Empty() {}

    record Pair<A, B>(A first, B second) {}

    record Nested(Pair<String, Integer> pair, Prims prims) {}

    record Floats(float f, double d) {}

    /** Its components' equals print, to show the order the record's equals compares them in. */
    record Watched(Loud x, Loud y, Loud w) {}

    record Named(String name) implements Comparable<Named> {
        public int compareTo(Named o) { return name.compareTo(o.name); }
    }

    static final class Loud {
        final String id;
        Loud(String id) { this.id = id; }
        @Override public boolean equals(Object o) {
            System.out.println("equals " + id);
            return o instanceof Loud && ((Loud) o).id.equals(id);
        }
        @Override public int hashCode() { return id.hashCode(); }
        @Override public String toString() { return "Loud " + id; }
    }

    public static void main(String[] args) {
        Prims p1 = new Prims(true, (byte) -1, (short) 300, 'x', 42, -5_000_000_000L, 1.25f, -2.5e300);
        Prims p2 = new Prims(true, (byte) -1, (short) 300, 'x', 42, -5_000_000_000L, 1.25f, -2.5e300);
        Prims p3 = new Prims(false, (byte) -1, (short) 300, 'x', 42, -5_000_000_000L, 1.25f, -2.5e300);
        System.out.println(p1 + " " + p1.hashCode() + " " + p1.equals(p2) + " " + p1.equals(p3) + " " + p3.hashCode());
        System.out.println(p1.equals(null) + " " + p1.equals("string") + " " + p1.equals(p1));
        Prims extremes = new Prims(false, Byte.MIN_VALUE, Short.MIN_VALUE, '\u0000', Integer.MAX_VALUE, Long.MIN_VALUE,
                Float.MIN_VALUE, Double.MAX_VALUE);
        System.out.println(extremes + " " + extremes.hashCode());

        Floats nan1 = new Floats(Float.NaN, Double.NaN);
        Floats nan2 = new Floats(Float.intBitsToFloat(0x7fc00001), Double.longBitsToDouble(0x7ff8000000000001L));
        Floats zero = new Floats(0.0f, 0.0);
        Floats negZero = new Floats(-0.0f, -0.0);
        System.out.println("NaN equals NaN " + nan1.equals(nan2) + ", 0.0 equals -0.0 " + zero.equals(negZero)
                + ", hashes " + nan1.hashCode() + " " + nan2.hashCode() + " " + zero.hashCode() + " " + negZero.hashCode());
        System.out.println(nan1 + " " + negZero + " " + new Floats(Float.POSITIVE_INFINITY, 1e-300));

        int[] ints = {1, 2};
        char[] chars = {'h', 'i'};
        Refs r1 = new Refs("s", 7, ints, chars, List.of("a", "b"), 9);
        Refs r2 = new Refs("s", 7, ints, chars, List.of("a", "b"), 9);
        Refs r3 = new Refs("s", 7, new int[] {1, 2}, chars, List.of("a", "b"), 9);
        System.out.println("arrays by identity: " + r1.equals(r2) + " " + r1.equals(r3) + " " + (r1.hashCode() == r2.hashCode()));
        String text = r1.toString();
        String expected = "Refs[s=s, o=7, ints=" + String.valueOf((Object) ints) + ", chars=" + String.valueOf((Object) chars)
                + ", list=[a, b], boxed=9]";
        System.out.println("toString of arrays: " + text.equals(expected) + " " + text.contains("chars=[C@"));
        Refs nulls = new Refs(null, null, null, null, null, null);
        System.out.println(nulls + " " + nulls.hashCode() + " " + nulls.equals(new Refs(null, null, null, null, null, null))
                + " " + nulls.equals(r1) + " " + r1.equals(nulls));

        Empty e = new Empty();
        System.out.println(e + " " + e.hashCode() + " " + e.equals(new Empty()));

        Pair<String, Integer> pair = new Pair<>("k", 1);
        Nested nested = new Nested(pair, p1);
        System.out.println(nested + " " + nested.hashCode() + " " + nested.equals(new Nested(new Pair<>("k", 1), p2)));
        System.out.println(pair.equals(new Pair<>("k", 1L)) + " " + new Pair<>(null, "x").hashCode());

        record Local(String who, double score) {}
        Local local = new Local("me", 0.5);
        System.out.println(local + " " + local.hashCode() + " " + local.equals(new Local("me", 0.5)));

        Watched w1 = new Watched(new Loud("x"), new Loud("y"), new Loud("w"));
        Watched w2 = new Watched(new Loud("x"), new Loud("y"), new Loud("w"));
        System.out.println("watched equal " + w1.equals(w2));
        Watched w3 = new Watched(new Loud("X"), new Loud("y"), new Loud("w"));
        System.out.println("watched unequal " + w1.equals(w3));
        System.out.println(w1 + " " + w1.hashCode());

        Top$Level top = new Top$Level(1, "b");
        System.out.println(top + " " + top.hashCode());

        Set<Object> set = new HashSet<>(Arrays.asList(p1, p2, p3, nan1, nan2, zero, negZero, e, new Empty(), pair));
        System.out.println("distinct " + set.size());
        List<Named> names = new java.util.ArrayList<>(List.of(new Named("b"), new Named("a")));
        java.util.Collections.sort(names);
        System.out.println(names);
    }
}
