// LinkedHashMap (insertion order, access order, removeEldestEntry LRU), TreeMap and TreeSet navigation methods,
// custom comparators, headMap/tailMap/subMap views, descending views.
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

public class C03SortedAndLinkedMaps {
    static class Lru<K, V> extends LinkedHashMap<K, V> {
        final int cap;
        Lru(int cap) { super(16, 0.75f, true); this.cap = cap; }
        @Override protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            boolean evict = size() > cap;
            if (evict) System.out.println("  evict " + eldest.getKey());
            return evict;
        }
    }

    public static void main(String[] args) {
        Map<String, Integer> lhm = new LinkedHashMap<>();
        for (String s : "zeta alpha mu beta alpha omega".split(" ")) lhm.merge(s, 1, Integer::sum);
        lhm.remove("mu");
        lhm.put("mu", 9);
        System.out.println(lhm);
        Lru<Integer, String> lru = new Lru<>(3);
        for (int i = 1; i <= 4; i++) lru.put(i, "v" + i);
        lru.get(2);
        lru.put(5, "v5");
        lru.getOrDefault(3, "none");
        lru.put(6, "v6");
        System.out.println(lru);
        LinkedHashSet<Character> lhs = new LinkedHashSet<>();
        for (char c : "mississippi river".toCharArray()) lhs.add(c);
        System.out.println(lhs);
        TreeMap<Integer, String> tm = new TreeMap<>();
        for (int i = 0; i < 20; i++) tm.put((i * 7) % 31, "n" + i);
        System.out.println(tm);
        System.out.println(tm.firstKey() + " " + tm.lastEntry() + " " + tm.floorKey(15) + " " + tm.ceilingKey(15) + " " + tm.lowerKey(14) + " " + tm.higherKey(14)
                + " " + tm.floorEntry(-1) + " " + tm.ceilingEntry(100));
        System.out.println(tm.headMap(10) + " " + tm.tailMap(25, false) + " " + tm.subMap(5, true, 12, true));
        NavigableMap<Integer, String> desc = tm.descendingMap();
        System.out.println(desc.firstKey() + " " + desc.headMap(20) + " " + tm.descendingKeySet().headSet(24));
        System.out.println(tm.pollFirstEntry() + " " + tm.pollLastEntry() + " " + tm.size());
        TreeMap<String, Integer> ci = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String s : "Banana apple CHERRY banana Apple date".split(" ")) ci.merge(s, 1, Integer::sum);
        System.out.println(ci);
        TreeSet<String> byLen = new TreeSet<>(Comparator.comparing(String::length).thenComparing(Comparator.reverseOrder()));
        byLen.addAll(java.util.List.of("pear", "fig", "banana", "kiwi", "apple", "plum", "date"));
        System.out.println(byLen + " first=" + byLen.first() + " last=" + byLen.last() + " higher(kiwi)=" + byLen.higher("kiwi"));
        NavigableSet<Integer> ts = new TreeSet<>();
        for (int i = 0; i < 50; i += 3) ts.add(i);
        System.out.println(ts.subSet(10, 30) + " " + ts.headSet(9, true) + " " + ts.tailSet(40) + " " + ts.floor(20) + " " + ts.ceiling(20) + " " + ts.descendingSet().first());
        ts.removeIf(x -> x % 2 == 0);
        System.out.println(ts + " pollFirst=" + ts.pollFirst() + " " + ts.size());
        try {
            new TreeMap<Object, Object>().put(null, 1);
        } catch (NullPointerException e) {
            System.out.println("TreeMap null key: NPE");
        }
        try {
            TreeSet<Object> bad = new TreeSet<>();
            bad.add("s");
            bad.add(1);
        } catch (ClassCastException e) {
            System.out.println("TreeSet mixed types: CCE");
        }
        TreeMap<Integer, Integer> counts = new TreeMap<>();
        long seed = 42;
        for (int i = 0; i < 1000; i++) {
            seed = (seed * 25214903917L + 11) & ((1L << 48) - 1);
            counts.merge((int) (seed >>> 17) % 10, 1, Integer::sum);
        }
        System.out.println(counts);
    }
}
