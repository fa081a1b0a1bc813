// Method references of all kinds: static, bound, unbound, constructor, array constructor, super::method, this::method.
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

public class L02MethodReferences {
    static class Base {
        String greet(String who) { return "Base hello " + who; }
    }

    static class Derived extends Base {
        @Override String greet(String who) { return "Derived hi " + who; }
        Function<String, String> viaSuper() { return super::greet; }
        Function<String, String> viaThis() { return this::greet; }
    }

    record Pair(String a, int b) {
        Pair(String a) { this(a, a.length()); }
    }

    static int twice(int x) { return 2 * x; }
    static String describe(Object o) { return "<" + o + ">"; }

    public static void main(String[] args) {
        Function<Integer, Integer> st = L02MethodReferences::twice;
        Function<Object, String> st2 = L02MethodReferences::describe;
        String prefix = "pre-";
        Function<String, String> bound = prefix::concat;
        Function<String, Integer> unbound = String::length;
        BiFunction<String, String, Boolean> unbound2 = String::startsWith;
        Supplier<List<String>> ctor = ArrayList::new;
        Function<String, Pair> ctor1 = Pair::new;
        BiFunction<String, Integer, Pair> ctor2 = Pair::new;
        IntFunction<int[]> arr = int[]::new;
        IntFunction<String[][]> arr2 = String[][]::new;
        Function<Integer, StringBuilder> sbNew = StringBuilder::new;
        System.out.println(st.apply(21) + " " + st2.apply(3.5) + " " + bound.apply("fix") + " " + unbound.apply("four") + " " + unbound2.apply("hello", "he"));
        List<String> list = ctor.get();
        list.add("x");
        System.out.println(list + " " + ctor1.apply("abc") + " " + ctor2.apply("z", 9) + " " + arr.apply(3).length + " " + arr2.apply(2).length
                + " " + sbNew.apply(64).capacity());
        Derived d = new Derived();
        System.out.println(d.viaSuper().apply("A") + " | " + d.viaThis().apply("B"));
        Function<Base, String> virt = b -> b.greet("V");
        System.out.println(virt.apply(new Base()) + " | " + virt.apply(d));
        UnaryOperator<String> up = String::toUpperCase;
        System.out.println(up.andThen(s -> s + "!").apply("shout"));
        String[] names = {"bob", "Alice", "carol", "Dave"};
        Arrays.sort(names, String::compareToIgnoreCase);
        System.out.println(Arrays.toString(names));
        Function<String, Integer> parse = Integer::parseInt;
        System.out.println(parse.andThen(L02MethodReferences::twice).apply("17"));
        Runnable r = System.out::println;
        r.run();
        java.util.function.Consumer<Object> printer = System.out::println;
        printer.accept("printed via bound System.out::println");
        String s = null;
        try {
            Supplier<Integer> npe = s::length;
            System.out.println(npe.get());
        } catch (NullPointerException e) {
            System.out.println("bound receiver null: NPE at creation");
        }
        Function<int[], int[]> cloner = int[]::clone;
        int[] orig = {1, 2, 3};
        int[] copy = cloner.apply(orig);
        copy[0] = 9;
        System.out.println(Arrays.toString(orig) + Arrays.toString(copy));
        Supplier<Supplier<String>> toStr = () -> "str"::toString;
        System.out.println(toStr.get().get());
    }
}
