import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A library-heavy benchmark: HashMap, ArrayList, TreeMap and String work with a checksum. Argument: rounds
 * (default 30). Deterministic: a fixed linear congruential generator, no hash-order-dependent sums.
 */
public class CollectionsBench {
    static long seed = 42;

    static int next(int bound) {
        seed = (seed * 0x5DEECE66DL + 0xBL) & ((1L << 48) - 1);
        return (int) ((seed >>> 17) % bound);
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        long checksum = 0;
        for (int round = 0; round < rounds; round++) {
            Map<String, Integer> counts = new HashMap<>();
            List<String> words = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                String w = "w" + next(500) + "-" + (char) ('a' + next(26));
                words.add(w);
                counts.merge(w, 1, Integer::sum);
            }
            TreeMap<String, Integer> sorted = new TreeMap<>(counts);
            StringBuilder sb = new StringBuilder();
            int k = 0;
            for (Map.Entry<String, Integer> e : sorted.entrySet()) {
                if (k++ % 50 == 0) {
                    sb.append(e.getKey()).append('=').append(e.getValue()).append(';');
                }
            }
            Collections.sort(words);
            List<Integer> lengths = new ArrayList<>();
            for (String w : words) {
                lengths.add(w.length() * 31 + w.charAt(w.length() - 1));
            }
            long sum = 0;
            for (int i = 0; i < lengths.size(); i += 3) {
                sum += lengths.get(i) * (long) (i + 1);
            }
            String joined = String.join(",", words.subList(0, 100));
            String upper = joined.toUpperCase().replace("W", "v");
            checksum = checksum * 31 + sum + sb.toString().hashCode() + upper.hashCode() + sorted.firstKey().hashCode() + sorted.size();
            if (round == 0) {
                System.out.println("round 0: distinct " + counts.size() + ", first " + sorted.firstKey() + ", last " + sorted.lastKey());
            }
        }
        System.out.println("rounds " + rounds + " checksum " + checksum);
    }
}
