// java.util.function interfaces and composition: andThen, compose, identity, Predicate and/or/negate/not,
// Comparator.comparing().thenComparing().reversed(), nullsFirst, BinaryOperator.minBy, primitive specializations.
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.*;

public class L03FunctionalComposition {
    record Person(String name, int age, String city) { }

    public static void main(String[] args) {
        Function<Integer, Integer> plus2 = x -> x + 2, times3 = x -> x * 3;
        System.out.println(plus2.andThen(times3).apply(1) + " " + plus2.compose(times3).apply(1) + " " + Function.<Integer>identity().apply(7));
        Predicate<String> empty = String::isEmpty, longish = s -> s.length() > 3;
        for (String s : new String[]{"", "ab", "abcd"}) {
            System.out.println("'" + s + "' " + empty.test(s) + " " + empty.negate().test(s) + " " + empty.or(longish).test(s) + " "
                    + empty.negate().and(longish.negate()).test(s) + " " + Predicate.not(empty).test(s) + " " + Predicate.isEqual("ab").test(s));
        }
        BiFunction<Integer, Integer, Integer> add = Integer::sum;
        System.out.println(add.andThen(x -> x * x).apply(3, 4));
        BinaryOperator<String> shorter = BinaryOperator.minBy(Comparator.comparingInt(String::length));
        System.out.println(shorter.apply("long", "tiny") + " " + shorter.apply("ab", "cde"));
        UnaryOperator<String> trim = String::trim;
        System.out.println("[" + trim.apply("  x  ") + "]");
        IntPredicate even = i -> i % 2 == 0;
        IntUnaryOperator sq = i -> i * i;
        IntBinaryOperator max = Math::max;
        LongSupplier ls = () -> Long.MAX_VALUE;
        DoubleUnaryOperator half = d -> d / 2;
        ToIntFunction<String> len = String::length;
        IntFunction<String> stars = "*"::repeat;
        System.out.println(even.test(4) + " " + even.negate().test(4) + " " + sq.andThen(sq).applyAsInt(3) + " " + max.applyAsInt(-1, -5) + " " + ls.getAsLong()
                + " " + half.andThen(half).applyAsDouble(10) + " " + len.applyAsInt("hello") + " " + stars.apply(4));
        BiConsumer<String, Integer> bc = (k, v) -> System.out.print(k + "=" + v + ";");
        bc.andThen((k, v) -> System.out.println(" again " + k)).accept("key", 1);
        Consumer<List<Integer>> addOne = l -> l.add(1);
        List<Integer> target = new ArrayList<>();
        addOne.andThen(addOne).andThen(l -> l.add(99)).accept(target);
        System.out.println(target);
        List<Person> people = new ArrayList<>(List.of(new Person("Ann", 31, "Oslo"), new Person("Bob", 25, "Rome"), new Person("Cid", 31, "Bern"),
                new Person("Dan", 25, "Oslo"), new Person("Eve", 40, "Rome"), new Person("Fay", 31, "Oslo")));
        people.sort(Comparator.comparing(Person::age));
        System.out.println(names(people));
        people.sort(Comparator.comparing(Person::city).thenComparing(Person::age, Comparator.reverseOrder()).thenComparing(Person::name));
        System.out.println(names(people));
        people.sort(Comparator.comparingInt(Person::age).thenComparing(Person::name).reversed());
        System.out.println(names(people));
        List<String> withNulls = new ArrayList<>(java.util.Arrays.asList("b", null, "a", null, "c"));
        withNulls.sort(Comparator.nullsFirst(Comparator.naturalOrder()));
        System.out.println(withNulls);
        withNulls.sort(Comparator.nullsLast(Comparator.<String>reverseOrder()));
        System.out.println(withNulls);
        Supplier<Optional<String>> opt = () -> Optional.of("value");
        System.out.println(opt.get().map(String::toUpperCase).filter(v -> v.startsWith("V")).orElse("none")
                + " " + Optional.<String>empty().map(String::length).orElseGet(() -> -1));
        Function<Integer, Function<Integer, Integer>> curried = a -> b -> a * 10 + b;
        System.out.println(curried.apply(4).apply(2));
    }

    static String names(List<Person> ps) {
        StringBuilder sb = new StringBuilder();
        for (Person p : ps) sb.append(p.name()).append('(').append(p.age()).append(',').append(p.city()).append(") ");
        return sb.toString().trim();
    }
}
