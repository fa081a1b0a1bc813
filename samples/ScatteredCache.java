import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * A cache that churned: it fills with small entries, then evicts three of every four at random, so the quarter that
 * survives lies scattered among dead ones across the whole heap (what a long-running cache's heap looks like); then it
 * walks the survivors several times and prints checksums. The app for offline compaction (./vheap gc --compact):
 * run with a device memory of an eighth of its heap (as ./vheap bench heap-tools does), it faults far fewer lines
 * walking a compacted heap. Arguments:
 * [MiB allocated, default 8] [walks, default 3].
 */
public class ScatteredCache {
    public static void main(String[] args) {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 8;
        int walks = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int total = (int) Math.max(16, (mib << 20) / 240);   // an entry: its int[40], a boxed key, a map node
        Map<Integer, int[]> cache = new HashMap<>();
        for (int k = 0; k < total; k++) {
            int[] v = new int[40];
            v[k % 40] = k;
            cache.put(k, v);
        }
        Random random = new Random(42);
        for (int k = 0; k < total; k++) {
            if (random.nextInt(4) != 0) {
                cache.remove(k);
            }
        }
        System.out.println("built " + cache.size() + " of " + total + " entries (~" + mib + " MiB allocated)");
        for (int w = 1; w <= walks; w++) {
            long sum = 0;
            for (Map.Entry<Integer, int[]> e : cache.entrySet()) {
                int[] v = e.getValue();
                sum = sum * 31 + e.getKey() + v[(e.getKey() + w) % v.length];
            }
            System.out.println("walk " + w + ": " + Long.toHexString(sum));
        }
    }
}
