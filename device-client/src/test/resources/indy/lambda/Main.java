package p;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.*;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Lambdas and method references of every kind, run through their functional interfaces. */
public class Main extends Base {
    private final String tag;
    private int counter;

    Main(String tag) { this.tag = tag; }

    interface Marker {}

    /** The function's apply is re-declared with String types: javac asks altMetafactory for the bridge. */
    interface StringOp extends Function<String, String> {
        @Override
        String apply(String s);
    }

    interface LongMaker { long make(int a, char b, short c); }

    interface Tri<A, B, C, R> { R apply(A a, B b, C c); }

    private String privateGreeting(String who) { return tag + " greets " + who; }

    private static String privateStatic(int n) { return "ps" + n; }

    static String varargs(String... parts) { return String.join("+", parts); }

    static long widenChar(long x) { return x * 2; }

    static double sum3(int a, long b, float c) { return a + b + c; }

    @Override
    public String toString() { return "Main(" + tag + ")"; }

    Supplier<String> superRef() { return super::toString; }

    Supplier<String> thisRef() { return this::toString; }

    Runnable incrementer() { return () -> counter++; }

    Function<String, String> privateRef() { return this::privateGreeting; }

    static Runnable nonCapturing() { return () -> System.out.println("non-capturing ran"); }

    static Runnable capturing(String s) { return () -> System.out.println("captured " + s); }

    class Inner {
        private final int k = 5;
        Supplier<String> outerAccess() { return () -> tag + "/" + k + "/" + counter; }
    }

    public static void main(String[] args) throws Exception {
        // identity: one instance for a non-capturing lambda, a new one per capture
        System.out.println("non-capturing same instance: " + (nonCapturing() == nonCapturing()));
        System.out.println("capturing same instance: " + (capturing("a") == capturing("a")));
        nonCapturing().run();
        capturing("x").run();

        // captures of every kind of local, this
        int i = 3; long l = 1L << 40; double d = 2.5; float f = 1.5f; char c = 'c'; boolean z = true; byte b = 1; short s = 2;
        String str = "str";
        Supplier<String> all = () -> i + "," + l + "," + d + "," + f + "," + c + "," + z + "," + b + "," + s + "," + str;
        System.out.println("captures " + all.get());
        Main m = new Main("M");
        m.incrementer().run();
        m.incrementer().run();
        System.out.println("counter " + m.counter);
        System.out.println(m.superRef().get().startsWith("Base:p.Main@") + " " + m.thisRef().get());
        System.out.println(m.privateRef().apply("you"));
        System.out.println(m.new Inner().outerAccess().get());

        // method references: static, bound, unbound, constructors, arrays, interface, private static
        Function<Integer, String> ps = Main::privateStatic;
        System.out.println(ps.apply(7));
        Supplier<Integer> bound = str::length;
        ToIntFunction<String> unbound = String::length;
        System.out.println("bound " + bound.get() + " unbound " + unbound.applyAsInt("four"));
        Supplier<List<String>> newList = ArrayList::new;
        List<String> list = newList.get();
        list.add("b"); list.add("a");
        Function<Integer, List<String>> sized = ArrayList::new;
        System.out.println("constructors " + list + " " + sized.apply(10).size());
        IntFunction<int[]> newInts = int[]::new;
        Function<Integer, String[]> newStrings = String[]::new;
        IntFunction<String[][]> newGrid = String[][]::new;
        System.out.println("arrays " + newInts.apply(4).length + " " + newStrings.apply(2).length + " " + newGrid.apply(3).length);
        ToIntFunction<List<String>> size = List::size;
        Supplier<List<String>> listOf = List::of;
        System.out.println("interface refs " + size.applyAsInt(list) + " " + listOf.get());
        Function<String, String> va = Main::varargs;
        BiFunction<String, String, String> va2 = Main::varargs;
        Supplier<String> va0 = Main::varargs;
        System.out.println("varargs " + va.apply("one") + " " + va2.apply("x", "y") + " [" + va0.get() + "]");
        Consumer<Object> printer = System.out::println;
        printer.accept("bound println");
        BiFunction<String, Object[], String> format = String::format;
        System.out.println(format.apply("%s-%s", new Object[] {1, "two"}));

        // boxing, unboxing, widening and casts between SAM, instantiated and implementation types
        Function<Integer, Integer> abs = Math::abs;
        BinaryOperator<Integer> sum = Integer::sum;
        IntBinaryOperator max = Math::max;
        ToLongFunction<Integer> widen = Integer::intValue;
        Consumer<Character> wc = ch -> System.out.println("char consumer " + widenChar(ch));
        Function<Character, Long> charToLong = Main::widenChar;
        Tri<Integer, Long, Float, Double> tri = Main::sum3;
        LongMaker maker = (a, bb, cc) -> a + bb + cc;
        DoubleUnaryOperator half = x -> x / 2;
        Predicate<String> empty = String::isEmpty;
        Function<Object, String> valueOf = String::valueOf;
        Function<int[], Integer> len = arr -> arr.length;
        ToDoubleFunction<Long> longToDouble = Long::longValue;
        IntFunction<Long> intToLong = Long::valueOf;
        Supplier<Number> numberSupplier = () -> 5;
        Function<Byte, Integer> byteToInt = Byte::intValue;
        System.out.println("conversions " + abs.apply(-4) + " " + sum.apply(2, 3) + " " + max.applyAsInt(8, 9) + " "
                + widen.applyAsLong(11) + " " + charToLong.apply('A') + " " + tri.apply(1, 2L, 0.5f) + " "
                + maker.make(1, 'a', (short) 2) + " " + half.applyAsDouble(5) + " " + empty.test("") + " "
                + valueOf.apply(null) + " " + len.apply(new int[3]) + " " + longToDouble.applyAsDouble(3L) + " "
                + intToLong.apply(6) + " " + numberSupplier.get() + " " + byteToInt.apply((byte) -3));
        wc.accept('B');
        Comparator<String> cmp = String::compareTo;
        Comparator<String> byLength = Comparator.comparing(String::length);
        List<String> words = new ArrayList<>(List.of("pear", "fig", "banana", "apple"));
        words.sort(cmp);
        System.out.println("sorted " + words);
        words.sort(byLength.thenComparing(Comparator.reverseOrder()));
        System.out.println("by length " + words);
        System.out.println(IntStream.rangeClosed(1, 5).map(x -> x * x).boxed().map(Object::toString)
                .collect(Collectors.joining(",", "[", "]")));
        TreeMap<String, Integer> counts = words.stream().collect(Collectors.toMap(w -> w.substring(0, 1), String::length,
                Integer::sum, TreeMap::new));
        System.out.println("collected " + counts);
        Runnable r = Main::staticRunnable;
        r.run();
        UnaryOperator<String> upper = String::toUpperCase;
        System.out.println(upper.andThen(x -> x + "?").apply("loud"));
        Supplier<Shapes> shape = () -> () -> "circle";
        System.out.println(shape.get().describer("a ").get() + " " + Shapes.fixed().get());

        // bridges and markers (altMetafactory)
        StringOp op = x -> x + x;
        @SuppressWarnings("unchecked")
        Function<Object, Object> raw = (Function<Object, Object>) (Function<?, ?>) op;
        System.out.println("bridge " + raw.apply("ab") + " " + op.apply("cd"));
        Runnable marked = (Runnable & Marker) () -> System.out.println("marked ran");
        marked.run();
        System.out.println("marker " + (marked instanceof Marker) + " " + (marked instanceof Serializable));

        // failures inside the forwarding method: unboxing null, a cast the instantiated type demands
        try {
            abs.apply(null);
        } catch (NullPointerException e) {
            System.out.println("unboxing null: NullPointerException");
        }
        try {
            @SuppressWarnings("unchecked")
            Function<Object, Object> rawLength = (Function<Object, Object>) (Function<?, ?>) (Function<String, Integer>) String::length;
            rawLength.apply(42);
        } catch (ClassCastException e) {
            System.out.println("wrong argument type: ClassCastException");
        }
        try {
            Supplier<Integer> nullBound = ((String) null)::length;
            nullBound.get();
        } catch (NullPointerException e) {
            System.out.println("bound to null: NullPointerException");
        }

        // serializable lambdas: used normally, and serialized and read back
        Runnable ser = (Runnable & Serializable) () -> System.out.println("serializable ran");
        ser.run();
        Function<String, Integer> serRef = (Function<String, Integer> & Serializable) String::length;
        System.out.println("serializable ref " + serRef.apply("12345"));
        String captured = "cap";
        int n = 2;
        Supplier<String> serCapturing = (Supplier<String> & Serializable) () -> captured.repeat(n);
        Supplier<String> back = roundTrip(serCapturing);
        System.out.println("round trip " + back.get() + " " + (back != serCapturing));
        @SuppressWarnings("unchecked")
        Function<String, Integer> refBack = roundTrip(serRef);
        System.out.println("round trip ref " + refBack.apply("abc"));
        Supplier<String> plain = () -> "plain";
        try {
            roundTrip((Serializable & Supplier<String>) plain::get);
            System.out.println("unexpected: serialized a method ref bound to a plain lambda");
        } catch (NotSerializableException e) {
            System.out.println("a captured non-serializable lambda is not serializable");
        }
        try {
            new ObjectOutputStream(new ByteArrayOutputStream()).writeObject(plain);
        } catch (NotSerializableException e) {
            System.out.println("plain lambda not serializable");
        }
        SerFunction accidental = x -> x;
        try {
            new ObjectOutputStream(new ByteArrayOutputStream()).writeObject(accidental);
            System.out.println("accidental written");
        } catch (NotSerializableException e) {
            System.out.println("accidentally serializable: " + e.getMessage());
        }
        System.out.println(Objects.requireNonNull(Arrays.asList(1, 2, 3).stream().map(x -> x * 10).toList()));
    }

    /** A serializable interface; a lambda of it gets no serialization support unless asked (FLAG_SERIALIZABLE). */
    interface SerFunction extends Function<String, String>, Serializable {}

    static void staticRunnable() { System.out.println("static runnable"); }

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}

class Base {
    @Override
    public String toString() { return "Base:" + super.toString(); }
}
