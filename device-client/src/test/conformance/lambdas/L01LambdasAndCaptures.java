// Lambdas capturing locals, this and fields; recursion through a field; lambdas in loops; generic functional interfaces.
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;
import java.util.function.Supplier;

public class L01LambdasAndCaptures {
    interface TriFunction<A, B, C, R> { R apply(A a, B b, C c); }

    int field = 10;
    static int staticField = 1000;
    static IntUnaryOperator factorial;
    static { factorial = n -> n <= 1 ? 1 : n * factorial.applyAsInt(n - 1); }
    IntUnaryOperator fib = n -> n < 2 ? n : this.fib.applyAsInt(n - 1) + this.fib.applyAsInt(n - 2);

    Supplier<String> captureThis() {
        int local = 5;
        return () -> "field=" + field + " local=" + local + " static=" + staticField + " this=" + getClass().getSimpleName();
    }

    public static void main(String[] args) {
        L01LambdasAndCaptures me = new L01LambdasAndCaptures();
        Supplier<String> s = me.captureThis();
        System.out.println(s.get());
        me.field = 20;
        staticField = 2000;
        System.out.println(s.get());
        System.out.println("fact(10)=" + factorial.applyAsInt(10) + " fib(15)=" + me.fib.applyAsInt(15));
        List<Runnable> rs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int copy = i;
            String label = "r" + i;
            rs.add(() -> System.out.println(label + " sees " + copy * copy));
        }
        for (String w : new String[]{"x", "y"}) rs.add(() -> System.out.println("word " + w));
        rs.forEach(Runnable::run);
        long big = 1L << 40; double dd = 2.5; char ch = 'q'; boolean flag = true; byte by = -1; short sh = 7; float fl = 0.5f;
        Supplier<String> prims = () -> big + " " + dd + " " + ch + " " + flag + " " + by + " " + sh + " " + fl;
        System.out.println(prims.get());
        IntBinaryOperator gcd = new IntBinaryOperator() {
            public int applyAsInt(int a, int b) { return b == 0 ? a : applyAsInt(b, a % b); }
        };
        System.out.println("gcd " + gcd.applyAsInt(84, 36));
        TriFunction<Integer, String, Character, String> tri = (n, str, c) -> str.repeat(n) + c;
        System.out.println(tri.apply(3, "ab", '!'));
        int[] counter = {0};
        Runnable inc = () -> counter[0]++;
        for (int i = 0; i < 7; i++) inc.run();
        System.out.println("counter " + counter[0]);
        Supplier<Supplier<String>> nested = () -> () -> "nested " + me.field;
        System.out.println(nested.get().get());
        Runnable r1 = () -> {};
        System.out.println("lambda is Runnable: " + (r1 instanceof Runnable) + ", synthetic class: " + r1.getClass().isSynthetic());
        java.util.Comparator<String> byLen = (a, b) -> Integer.compare(a.length(), b.length());
        List<String> words = new ArrayList<>(List.of("ccc", "a", "bb", "dddd", "ee"));
        words.sort(byLen.thenComparing((a, b) -> b.compareTo(a)));
        System.out.println(words);
        words.removeIf(w -> w.length() == 2);
        words.replaceAll(String::toUpperCase);
        System.out.println(words);
    }
}
