// Collectors: toList, toSet (printed sorted), joining, groupingBy with TreeMap, counting, partitioningBy, toMap with
// merge into TreeMap, mapping, summingInt, averaging, collectingAndThen, teeing; parallel-free.
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

public class L05Collectors {
    record Sale(String region, String product, int units, double price) { }

    public static void main(String[] args) {
        List<Sale> sales = List.of(
                new Sale("north", "apple", 10, 1.5), new Sale("south", "pear", 4, 2.0), new Sale("north", "pear", 7, 2.1),
                new Sale("east", "apple", 3, 1.4), new Sale("south", "apple", 12, 1.6), new Sale("east", "plum", 9, 3.0),
                new Sale("north", "plum", 1, 3.2), new Sale("west", "apple", 5, 1.5));
        Map<String, List<String>> byRegion = sales.stream().collect(Collectors.groupingBy(Sale::region, TreeMap::new, Collectors.mapping(Sale::product, Collectors.toList())));
        System.out.println(byRegion);
        Map<String, Long> counts = sales.stream().collect(Collectors.groupingBy(Sale::product, TreeMap::new, Collectors.counting()));
        System.out.println(counts);
        Map<String, Integer> units = sales.stream().collect(Collectors.groupingBy(Sale::product, TreeMap::new, Collectors.summingInt(Sale::units)));
        System.out.println(units);
        Map<String, Double> avg = sales.stream().collect(Collectors.groupingBy(Sale::region, TreeMap::new, Collectors.averagingDouble(Sale::price)));
        System.out.println(avg);
        Map<Boolean, List<String>> big = sales.stream().collect(Collectors.partitioningBy(s -> s.units() >= 5, Collectors.mapping(s -> s.region() + "/" + s.product(), Collectors.toList())));
        System.out.println(big);
        Map<String, Double> revenue = sales.stream().collect(Collectors.toMap(Sale::region, s -> s.units() * s.price(), Double::sum, TreeMap::new));
        System.out.println(revenue);
        System.out.println(new TreeSet<>(sales.stream().map(Sale::product).collect(Collectors.toSet())));
        System.out.println(sales.stream().map(Sale::product).distinct().sorted(Comparator.reverseOrder()).collect(Collectors.joining(", ", "{", "}")));
        int size = sales.stream().collect(Collectors.collectingAndThen(Collectors.toList(), List::size));
        System.out.println(size);
        String teed = sales.stream().collect(Collectors.teeing(Collectors.summingInt(Sale::units), Collectors.counting(), (u, c) -> u + " units in " + c + " sales"));
        System.out.println(teed);
        Map<String, Map<String, Integer>> twoLevel = sales.stream().collect(Collectors.groupingBy(Sale::region, TreeMap::new,
                Collectors.groupingBy(Sale::product, TreeMap::new, Collectors.summingInt(Sale::units))));
        System.out.println(twoLevel);
        System.out.println(sales.stream().max(Comparator.comparingDouble(s -> s.units() * s.price())).map(Sale::toString).orElse("none"));
        Map<Integer, String> byLength = Stream.of("one", "two", "three", "four", "five", "six").collect(Collectors.groupingBy(String::length, TreeMap::new, Collectors.joining("|")));
        System.out.println(byLength);
        var summary = sales.stream().collect(Collectors.summarizingDouble(Sale::price));
        System.out.printf("min %.2f max %.2f avg %.4f sum %.2f n %d%n", summary.getMin(), summary.getMax(), summary.getAverage(), summary.getSum(), summary.getCount());
        try {
            Stream.of("a", "b", "a").collect(Collectors.toMap(s -> s, s -> 1));
        } catch (IllegalStateException e) {
            System.out.println("ISE " + e.getMessage());
        }
        Map<Character, String> firstLetters = Stream.of("apple", "avocado", "banana", "blueberry", "cherry")
                .collect(Collectors.toMap(s -> s.charAt(0), s -> s, (a, b) -> a + "+" + b, TreeMap::new));
        System.out.println(firstLetters);
        System.out.println(Stream.of(5, 1, 4).collect(Collectors.reducing(0, x -> x * 2, Integer::sum)) + " "
                + Stream.of("x", "yy").collect(Collectors.filtering(s -> s.length() > 1, Collectors.toList()))
                + " " + Stream.of(List.of(1, 2), List.of(3)).collect(Collectors.flatMapping(List::stream, Collectors.toList())));
    }
}
