// Records: toString/equals/hashCode, compact constructors with validation, static factories, nested records,
// records implementing interfaces, accessor overrides.
import java.util.HashSet;
import java.util.List;
import java.util.Set;

public class O07Records {
    record Point(int x, int y) {
        Point {
            if (x < 0) throw new IllegalArgumentException("negative x: " + x);
        }
        static Point origin() { return new Point(0, 0); }
        Point plus(Point o) { return new Point(x + o.x, y + o.y); }
        double dist() { return Math.sqrt(x * x + y * y); }
    }

    record Range(long lo, long hi) {
        Range(long lo, long hi) {
            this.lo = Math.min(lo, hi);
            this.hi = Math.max(lo, hi);
        }
        Range(long single) { this(single, single); }
    }

    record Named(String name, List<String> tags) implements Comparable<Named> {
        @Override public String name() { return name.toUpperCase(); }
        public int compareTo(Named o) { return name.compareTo(o.name); }
    }

    record Mixed(boolean z, byte b, short s, char c, int i, long l, float f, double d, Object o, int[] arr) { }

    record Empty() { }

    record Line(Point from, Point to) { }

    public static void main(String[] args) {
        Point p = new Point(3, 4), q = new Point(3, 4);
        System.out.println(p + " " + p.x() + " " + p.dist() + " " + p.plus(Point.origin()));
        System.out.println("equals " + p.equals(q) + " " + (p == q) + " hash eq " + (p.hashCode() == q.hashCode()) + " hash " + p.hashCode());
        System.out.println(new Point(1, 2).hashCode() + " " + new Point(2, 1).hashCode() + " " + new Point(0, 0).hashCode());
        try {
            new Point(-1, 0);
        } catch (IllegalArgumentException e) {
            System.out.println("rejected: " + e.getMessage());
        }
        System.out.println(new Range(9, 2) + " " + new Range(5) + " " + new Range(1, 3).equals(new Range(3, 1)));
        Named n = new Named("bob", List.of("a", "b"));
        System.out.println(n + " name()=" + n.name() + " tags=" + n.tags());
        System.out.println(n.compareTo(new Named("alice", List.of())) > 0);
        Mixed m = new Mixed(true, (byte) -1, (short) 300, 'x', 42, -5L, 1.5f, -0.0, null, null);
        System.out.println(m);
        System.out.println(m.equals(new Mixed(true, (byte) -1, (short) 300, 'x', 42, -5L, 1.5f, -0.0, null, null)) + " "
                + m.equals(new Mixed(true, (byte) -1, (short) 300, 'x', 42, -5L, 1.5f, 0.0, null, null)) + " hash " + m.hashCode());
        System.out.println(new Mixed(false, (byte) 0, (short) 0, 'a', 0, 0, Float.NaN, Double.NaN, "o", null)
                .equals(new Mixed(false, (byte) 0, (short) 0, 'a', 0, 0, Float.NaN, Double.NaN, "o", null)));
        System.out.println(new Empty() + " " + new Empty().equals(new Empty()) + " " + new Empty().hashCode());
        Line line = new Line(p, new Point(6, 8));
        System.out.println(line + " " + line.hashCode());
        Set<Point> set = new HashSet<>();
        for (int i = 0; i < 5; i++) for (int j = 0; j < 5; j++) set.add(new Point(i % 3, j % 2));
        System.out.println("distinct points " + set.size() + " contains " + set.contains(new Point(2, 1)));
        System.out.println(Point.class.isRecord() + " " + Point.class.getRecordComponents().length + " " + Point.class.getRecordComponents()[1].getName());
        Object o = p;
        if (o instanceof Point pp && pp.x() == 3) System.out.println("pattern " + pp.y());
    }
}
