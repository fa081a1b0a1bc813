import java.util.Random;

/**
 * A cache whose entries are replaced at random and read in key order: entries outlive the nursery, then die one here,
 * one there, leaving the user heap's lines sparse (what compaction is for). Prints a checksum.
 * Usage: CacheChurn ENTRIES
 */
public class CacheChurn {
    static final class Entry {
        final int key;
        final long[] payload = new long[4];

        Entry(int key, int version) {
            this.key = key;
            payload[0] = (long) key * 31 + version;
        }
    }

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        Entry[] cache = new Entry[n];
        Random random = new Random(42);
        long sum = 0;
        for (int round = 0; round < 40; round++) {
            for (int i = 0; i < n / 4; i++) {
                int key = random.nextInt(n);
                cache[key] = new Entry(key, round);
            }
            for (int pass = 0; pass < 1; pass++) {
                for (Entry e : cache) {
                    if (e != null) {
                        sum += e.payload[0];
                    }
                }
            }
        }
        System.out.println(sum);
    }
}
