// HashMap/HashSet iteration order for Integer and String keys (deterministic: depends only on hash codes and
// capacity), resizing, removal, compute/merge/getOrDefault/putIfAbsent, collisions, null key.
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

public class C02HashMapOrder {
    public static void main(String[] args) {
        Map<Integer, String> im = new HashMap<>();
        for (int i = 0; i < 40; i++) im.put((i * 37) % 101 - 20, "v" + i);
        System.out.println(im);
        Map<String, Integer> sm = new HashMap<>();
        String[] words = "the quick brown fox jumps over the lazy dog and keeps running far away from home".split(" ");
        for (String w : words) sm.merge(w, 1, Integer::sum);
        System.out.println(sm);
        System.out.println(sm.keySet());
        System.out.println(sm.values());
        Map<String, Integer> big = new HashMap<>();
        for (int i = 0; i < 200; i++) big.put("key" + i, i);
        StringBuilder order = new StringBuilder();
        int n = 0;
        for (String k : big.keySet()) { if (n++ % 10 == 0) order.append(k).append(' '); }
        System.out.println(order);
        for (Iterator<Map.Entry<String, Integer>> it = big.entrySet().iterator(); it.hasNext(); ) if (it.next().getValue() % 3 != 0) it.remove();
        System.out.println(big.size() + " " + big.get("key99") + " " + big.get("key100") + " " + big.getOrDefault("key100", -1));
        Map<Object, Object> coll = new HashMap<>();
        coll.put("Aa", 1); coll.put("BB", 2); coll.put("AaAa", 3); coll.put("BBBB", 4); coll.put("AaBB", 5); coll.put("BBAa", 6);
        coll.put(null, "null key"); coll.put(1L, "long"); coll.put(1, "int"); coll.put('x', "char"); coll.put(1.0, "double");
        System.out.println(coll + " " + coll.get(null) + " " + coll.get(1) + " " + coll.get(1L));
        Map<String, Integer> m = new HashMap<>();
        System.out.println(m.putIfAbsent("a", 1) + " " + m.putIfAbsent("a", 2) + " " + m.computeIfAbsent("b", k -> 10) + " " + m.computeIfPresent("a", (k, v) -> v + 100)
                + " " + m.compute("c", (k, v) -> v == null ? -1 : v) + " " + m.merge("c", 5, Integer::sum) + " " + m.replace("b", 20) + " " + m);
        m.computeIfPresent("c", (k, v) -> null);
        System.out.println(m + " " + m.containsKey("c") + " " + m.containsValue(20) + " " + m.remove("zz") + " " + m.remove("a", 999));
        Set<Integer> hs = new HashSet<>();
        for (int i = 0; i < 30; i++) hs.add(i * i * i % 1000);
        System.out.println(hs);
        Set<String> ss = new HashSet<>();
        for (String w : words) ss.add(w.toUpperCase());
        System.out.println(ss + " " + ss.contains("FOX") + " " + ss.size());
        Map<Integer, Integer> neg = new HashMap<>();
        for (int i = -5; i <= 5; i++) neg.put(i * 1000003, i);
        System.out.println(neg);
        Map<Long, Boolean> longs = new HashMap<>();
        for (long l = 1; l < (1L << 62); l *= 31) longs.put(l, l % 2 == 0);
        System.out.println(longs.keySet());
        HashMap<String, Integer> copy = new HashMap<>(sm);
        copy.replaceAll((k, v) -> v * k.length());
        System.out.println(copy.equals(sm) + " " + sm.equals(new HashMap<>(sm)) + " " + sm.hashCode() + " " + copy.entrySet().iterator().next());
        Map<Double, String> dm = new HashMap<>();
        dm.put(0.0, "zero"); dm.put(-0.0, "negzero"); dm.put(Double.NaN, "nan"); dm.put(Double.NaN, "nan2");
        System.out.println(dm.size() + " " + dm.get(-0.0) + " " + dm.get(Double.NaN));
    }
}
