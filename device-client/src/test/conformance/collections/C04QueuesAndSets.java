// PriorityQueue (natural, comparator, poll order, toString of the heap array), HashSet/TreeSet algebra, EnumSet,
// BitSet, Iterator.remove on sets.
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;

public class C04QueuesAndSets {
    record Task(String name, int priority) { }

    public static void main(String[] args) {
        PriorityQueue<Integer> pq = new PriorityQueue<>();
        for (int v : new int[]{42, 7, 19, 3, 88, 7, 1, 56, 23}) pq.offer(v);
        System.out.println("heap " + pq + " peek " + pq.peek() + " size " + pq.size());
        List<Integer> drained = new ArrayList<>();
        while (!pq.isEmpty()) drained.add(pq.poll());
        System.out.println(drained);
        PriorityQueue<Task> tasks = new PriorityQueue<>(Comparator.comparingInt(Task::priority).reversed().thenComparing(Task::name));
        tasks.add(new Task("write", 2)); tasks.add(new Task("test", 5)); tasks.add(new Task("deploy", 1)); tasks.add(new Task("review", 5)); tasks.add(new Task("plan", 3));
        while (!tasks.isEmpty()) System.out.print(tasks.poll().name() + " ");
        System.out.println();
        PriorityQueue<String> maxq = new PriorityQueue<>(Comparator.reverseOrder());
        for (String s : "m c x a q b".split(" ")) maxq.add(s);
        maxq.remove("q");
        System.out.println(maxq + " " + maxq.poll() + " " + maxq.contains("a"));
        Set<Integer> a = new TreeSet<>(List.of(1, 2, 3, 4, 5, 6)), b = new TreeSet<>(List.of(4, 5, 6, 7, 8));
        Set<Integer> union = new TreeSet<>(a); union.addAll(b);
        Set<Integer> inter = new TreeSet<>(a); inter.retainAll(b);
        Set<Integer> diff = new TreeSet<>(a); diff.removeAll(b);
        System.out.println(union + " " + inter + " " + diff + " " + a.containsAll(inter) + " " + new HashSet<>(a).equals(a));
        Set<String> hs = new HashSet<>();
        for (int i = 0; i < 50; i++) hs.add(Integer.toString(i * 13, 7));
        for (Iterator<String> it = hs.iterator(); it.hasNext(); ) if (it.next().contains("0")) it.remove();
        System.out.println(hs.size() + " " + hs);
        BitSet bits = new BitSet();
        for (int i = 0; i < 100; i += 7) bits.set(i);
        BitSet other = new BitSet();
        other.set(0, 50);
        bits.and(other);
        System.out.println(bits + " card " + bits.cardinality() + " len " + bits.length() + " next " + bits.nextSetBit(15) + " clear " + bits.nextClearBit(0));
        Iterator<Integer> it = new ArrayList<>(List.of(1, 2)).iterator();
        it.next(); it.next();
        try {
            it.next();
        } catch (java.util.NoSuchElementException e) {
            System.out.println("NSEE " + e.getMessage());
        }
        try {
            Iterator<Integer> it2 = new ArrayList<>(List.of(1)).iterator();
            it2.remove();
        } catch (IllegalStateException e) {
            System.out.println("ISE " + e.getMessage());
        }
    }
}
