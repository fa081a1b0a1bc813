// @exit 1
// An uncaught exception thrown from a nested call inside a lambda run by library code (forEach, Comparator).
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

public class E08UncaughtFromLambda {
    static int invert(int x) {
        return 100 / x;
    }

    public static void main(String[] args) {
        List<Integer> xs = new ArrayList<>(List.of(5, 4, 3, 2, 1, 0, -1));
        Function<Integer, Integer> f = x -> invert(x) + 1;
        xs.forEach(x -> {
            System.out.println(x + " -> " + f.apply(x));
        });
        System.out.println("not reached");
    }
}
