import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntUnaryOperator;

/**
 * The app of the heap-format fixtures (see HeapFormatFixtureTest): it builds a map of records, prints "built",
 * then sleeps in rounds (a fixture is its checkpoint taken there) and prints what it built, through a record's
 * methods, a lambda and string concatenation (call-site classes in the system segment).
 */
public class FixtureApp {
    record Point(int x, int y) {
    }

    static final Map<String, List<Point>> SHAPES = new TreeMap<>();

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < 300; i++) {
            SHAPES.computeIfAbsent("shape-" + (i % 7), k -> new ArrayList<>()).add(new Point(i, i * i));
        }
        Object lock = new Object();
        int hash = System.identityHashCode(lock);
        System.out.println("built " + SHAPES.size() + " shapes");
        long sum = 0;
        for (int round = 0; round < 40; round++) {
            Thread.sleep(25);
            synchronized (lock) {
                for (Map.Entry<String, List<Point>> e : SHAPES.entrySet()) {
                    for (Point p : e.getValue()) {
                        sum += p.x() * 31L + p.y() + e.getKey().hashCode();
                    }
                }
            }
        }
        IntUnaryOperator triple = x -> x * 3;
        System.out.println("sum " + sum + ", " + SHAPES.get("shape-3").get(2) + ", lambda " + triple.applyAsInt(14)
                + ", identity hash kept " + (System.identityHashCode(lock) == hash));
    }
}
