// Streams over collections: map/filter/reduce/sorted/distinct/limit/skip/flatMap/anyMatch, IntStream.range/sum/boxed,
// iterate/generate with limit, takeWhile, mapToObj, summary statistics.
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;

public class L04Streams {
    public static void main(String[] args) {
        List<Integer> nums = List.of(5, 3, 8, 1, 9, 2, 8, 3, 7, 5, 10);
        System.out.println(nums.stream().filter(n -> n % 2 == 1).map(n -> n * n).collect(Collectors.toList()));
        System.out.println(nums.stream().reduce(0, Integer::sum) + " " + nums.stream().reduce(Integer::max).get() + " " + nums.stream().mapToInt(i -> i).sum());
        System.out.println(nums.stream().sorted().distinct().collect(Collectors.toList()) + " " + nums.stream().sorted((a, b) -> b - a).limit(3).toList());
        System.out.println(nums.stream().skip(4).limit(4).toList() + " " + nums.stream().anyMatch(n -> n > 9) + " " + nums.stream().allMatch(n -> n > 0)
                + " " + nums.stream().noneMatch(n -> n == 4) + " " + nums.stream().count() + " " + nums.stream().findFirst().get());
        System.out.println(IntStream.range(0, 10).sum() + " " + IntStream.rangeClosed(1, 5).reduce(1, (a, b) -> a * b) + " " + IntStream.range(0, 5).boxed().toList()
                + " " + IntStream.of(3, 1, 2).sorted().mapToObj(Integer::toString).collect(Collectors.joining("-")));
        System.out.println(Stream.iterate(1, x -> x * 2).limit(11).toList() + " " + Stream.iterate(1, x -> x < 100, x -> x * 3).toList());
        System.out.println(Stream.of("a", "bb", "ccc").flatMap(s -> s.chars().mapToObj(c -> (char) c)).map(String::valueOf).collect(Collectors.joining()));
        System.out.println(IntStream.range(0, 20).takeWhile(i -> i < 5).boxed().toList() + " " + IntStream.range(0, 10).dropWhile(i -> i < 7).boxed().toList());
        var stats = nums.stream().mapToInt(Integer::intValue).summaryStatistics();
        System.out.println(stats);
        System.out.println(IntStream.range(0, 5).average().getAsDouble() + " " + IntStream.empty().max().isPresent() + " " + LongStream.rangeClosed(1, 20).reduce(1, (a, b) -> a * b));
        System.out.println(Arrays.stream(new String[]{"x", "y", "z"}).map(String::toUpperCase).toList() + " " + Arrays.stream(new double[]{1.5, 2.5}).sum());
        System.out.println(Stream.generate(() -> "ab").limit(3).collect(Collectors.joining(",", "[", "]")));
        int[] squares = IntStream.rangeClosed(1, 10).map(i -> i * i).filter(i -> i % 3 != 0).toArray();
        System.out.println(Arrays.toString(squares));
        System.out.println(nums.stream().map(String::valueOf).peek(s -> { }).sorted().collect(Collectors.joining(",")));
        List<List<Integer>> nested = List.of(List.of(1, 2), List.of(), List.of(3, 4, 5));
        System.out.println(nested.stream().flatMap(List::stream).mapToInt(Integer::intValue).max().getAsInt() + " "
                + nested.stream().mapToInt(List::size).boxed().toList());
        long primes = IntStream.rangeClosed(2, 2000).filter(n -> IntStream.rangeClosed(2, (int) Math.sqrt(n)).noneMatch(d -> n % d == 0)).count();
        System.out.println("primes below 2000: " + primes);
        System.out.println(Stream.of("delta", "alpha", "charlie", "bravo").sorted().findFirst().orElse("?") + " "
                + Stream.of(1, 2, 3, 4).map(i -> i * 1.5).reduce(0.0, Double::sum) + " " + Stream.of(1, 2, 3).min(Integer::compare).get());
        System.out.println(Stream.concat(Stream.of(1, 2), Stream.of(3)).toList() + " " + Stream.ofNullable(null).count() + " " + "a,b;c".chars().filter(Character::isLetter).count());
    }
}
