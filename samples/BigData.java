import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a live data structure of about the requested size, then walks it several times and prints checksums:
 * the app for paging, run with a device memory of a tenth of its live size. Arguments: [size in MiB, default 8]
 * [walks, default 3].
 *
 * <p>A third of the bytes are long arrays in a HashMap, a third a linked list of nodes with small arrays, a third
 * strings in an ArrayList; walks visit them in a different order each time (map by key stride, list forwards,
 * strings backwards) so the working set moves through the whole heap.
 */
public class BigData {
    static final class Node {
        final long id;
        final int[] payload;
        Node next;

        Node(long id, int[] payload) {
            this.id = id;
            this.payload = payload;
        }
    }

    public static void main(String[] args) {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 8;
        int walks = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        long third = (mib << 20) / 3;

        Map<Integer, long[]> map = new HashMap<>();
        int arrays = (int) Math.max(1, third / (512 * 8 + 64));
        for (int k = 0; k < arrays; k++) {
            long[] a = new long[512];
            for (int i = 0; i < a.length; i++) {
                a[i] = (long) k * 1_000_003L + i * 7919L;
            }
            map.put(k, a);
        }

        int nodes = (int) Math.max(1, third / (32 * 4 + 64));
        Node head = null, tail = null;
        for (int k = 0; k < nodes; k++) {
            int[] p = new int[32];
            for (int i = 0; i < p.length; i++) {
                p[i] = k ^ (i * 31);
            }
            Node n = new Node(k, p);
            if (head == null) {
                head = n;
            } else {
                tail.next = n;
            }
            tail = n;
        }

        int strings = (int) Math.max(1, third / (2 * 100 + 64));
        List<String> texts = new ArrayList<>(strings);
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < strings; k++) {
            sb.setLength(0);
            for (int i = 0; sb.length() < 100; i++) {
                sb.append((char) ('a' + (k + i) % 26));
            }
            texts.add(sb.toString());
        }
        System.out.println("built " + arrays + " arrays, " + nodes + " nodes, " + strings + " strings (~" + mib + " MiB)");

        for (int w = 1; w <= walks; w++) {
            long mapSum = 0;
            int stride = 7 + w * 2;
            for (int s = 0; s < stride; s++) {
                for (int k = s; k < arrays; k += stride) {
                    long[] a = map.get(k);
                    mapSum = mapSum * 31 + a[(k + w) % a.length] + a[a.length - 1];
                }
            }
            long listSum = 0;
            for (Node n = head; n != null; n = n.next) {
                listSum += n.id * n.payload[(int) ((n.id + w) % n.payload.length)];
            }
            long textSum = 0;
            for (int k = strings - 1; k >= 0; k--) {
                String t = texts.get(k);
                textSum = textSum * 131 + t.charAt((k + w) % t.length()) + t.hashCode();
            }
            System.out.println("walk " + w + ": map " + Long.toHexString(mapSum) + " list " + Long.toHexString(listSum) + " text " + Long.toHexString(textSum));
        }
    }
}
