// java.util.Collections: sort, reverse, shuffle(seeded Random), rotate, swap, unmodifiable views (UOE), nCopies,
// frequency, min/max, binarySearch, disjoint, singleton, emptyList; List.of/Map.of (printed sorted only);
// ConcurrentModificationException.
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

public class C05CollectionsUtilities {
    public static void main(String[] args) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < 20; i++) l.add(i);
        Collections.shuffle(l, new Random(42));
        System.out.println("shuffled " + l);
        Collections.sort(l);
        Collections.reverse(l);
        System.out.println("reversed " + l);
        Collections.rotate(l, 3);
        Collections.swap(l, 0, 19);
        System.out.println("rotated " + l + " min " + Collections.min(l) + " max " + Collections.max(l, Collections.reverseOrder()));
        Collections.sort(l);
        System.out.println("search " + Collections.binarySearch(l, 13) + " " + Collections.binarySearch(l, 100));
        List<String> words = new ArrayList<>(Arrays.asList("b", "a", "c", "a", "b", "a"));
        System.out.println("freq a=" + Collections.frequency(words, "a") + " nCopies " + Collections.nCopies(3, "ab") + " disjoint "
                + Collections.disjoint(words, List.of("x", "y")));
        Collections.shuffle(words, new Random(7));
        System.out.println("shuffled words " + words);
        List<String> ro = Collections.unmodifiableList(words);
        try {
            ro.add("z");
        } catch (UnsupportedOperationException e) {
            System.out.println("unmodifiable add: UOE " + e.getMessage());
        }
        try {
            List.of(1, 2).set(0, 5);
        } catch (UnsupportedOperationException e) {
            System.out.println("List.of set: UOE " + e.getMessage());
        }
        try {
            List.of(1, null);
        } catch (NullPointerException e) {
            System.out.println("List.of null: NPE");
        }
        try {
            Map.of("a", 1, "a", 2);
        } catch (IllegalArgumentException e) {
            System.out.println("Map.of duplicate: " + e.getMessage());
        }
        Map<String, Integer> mo = Map.of("one", 1, "two", 2, "three", 3, "four", 4);
        System.out.println("Map.of sorted " + new TreeMap<>(mo) + " get " + mo.get("two") + " size " + mo.size());
        Set<String> so = Set.of("x", "y", "z", "w");
        System.out.println("Set.of sorted " + new TreeSet<>(so) + " contains " + so.contains("y"));
        System.out.println(Collections.singletonList(5) + " " + Collections.emptyList() + " " + Collections.emptyMap() + " " + Collections.singleton("s")
                + " " + List.copyOf(words).size() + " " + Collections.unmodifiableMap(new TreeMap<>(Map.of("k", "v"))));
        List<Integer> cme = new ArrayList<>(List.of(1, 2, 3, 4));
        try {
            for (Integer x : cme) if (x == 2) cme.remove(x);
        } catch (ConcurrentModificationException e) {
            System.out.println("CME " + e.getMessage() + " list now " + cme);
        }
        List<Integer> quiet = new ArrayList<>(List.of(1, 2, 3));
        for (Integer x : quiet) if (x == 2) quiet.remove(x);
        System.out.println("removing the second-to-last element does not throw: " + quiet);
        Map<String, Integer> hm = new HashMap<>(Map.of("a", 1, "b", 2, "c", 3));
        try {
            for (String k : hm.keySet()) hm.put(k + k, 0);
        } catch (ConcurrentModificationException e) {
            System.out.println("CME on HashMap");
        }
        List<Integer> syn = Collections.synchronizedList(new ArrayList<>());
        syn.add(3);
        System.out.println(syn + " " + Collections.addAll(syn, 5, 4) + " " + syn);
        List<Integer> fill = new ArrayList<>(Collections.nCopies(5, 0));
        Collections.fill(fill, 7);
        List<Integer> dest = new ArrayList<>(Collections.nCopies(6, -1));
        Collections.copy(dest, fill);
        System.out.println(fill + " " + dest + " idx " + Collections.indexOfSubList(dest, List.of(7, -1)));
        Random r = new Random(123);
        List<Integer> deck = new ArrayList<>();
        for (int i = 0; i < 10; i++) deck.add(i);
        Collections.shuffle(deck, r);
        System.out.println("deck " + deck);
    }
}
