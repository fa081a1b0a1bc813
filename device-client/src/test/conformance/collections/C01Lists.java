// ArrayList, LinkedList, ArrayDeque: add/remove/insert/set/subList/listIterator/indexOf, deque ops on both ends.
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.ListIterator;

public class C01Lists {
    public static void main(String[] args) {
        List<String> al = new ArrayList<>();
        for (int i = 0; i < 12; i++) al.add("e" + i);
        al.add(0, "first");
        al.add(5, "middle");
        al.remove("e3");
        al.remove(al.size() - 1);
        al.set(1, "SET");
        System.out.println(al + " size=" + al.size() + " idx=" + al.indexOf("middle") + " last=" + al.lastIndexOf("nope"));
        List<String> sub = al.subList(2, 6);
        sub.clear();
        System.out.println(al + " contains e7=" + al.contains("e7"));
        ListIterator<String> it = al.listIterator();
        while (it.hasNext()) {
            String s = it.next();
            if (s.endsWith("5")) it.remove();
            else if (s.endsWith("6")) it.set("six");
            else if (s.endsWith("7")) it.add("after7");
        }
        System.out.println(al);
        while (it.hasPrevious()) System.out.print(it.previous() + "<");
        System.out.println();
        LinkedList<Integer> ll = new LinkedList<>();
        for (int i = 0; i < 8; i++) { if (i % 2 == 0) ll.addFirst(i); else ll.addLast(i); }
        System.out.println(ll + " first=" + ll.getFirst() + " last=" + ll.peekLast() + " get(3)=" + ll.get(3));
        ll.removeFirstOccurrence(3);
        ll.removeLast();
        ll.push(100);
        System.out.println(ll + " pop=" + ll.pop() + " poll=" + ll.poll() + " " + ll);
        Iterator<Integer> desc = ll.descendingIterator();
        StringBuilder sb = new StringBuilder();
        while (desc.hasNext()) sb.append(desc.next()).append(' ');
        System.out.println("desc " + sb);
        Deque<Integer> dq = new ArrayDeque<>();
        for (int i = 0; i < 40; i++) { if (i % 3 == 0) dq.offerFirst(i); else dq.offerLast(i); if (i % 5 == 0) dq.pollFirst(); }
        System.out.println(dq + " size=" + dq.size() + " peekFirst=" + dq.peekFirst() + " peekLast=" + dq.peekLast());
        Deque<Character> stack = new ArrayDeque<>();
        String expr = "{[()()]}([)]";
        for (char c : expr.toCharArray()) {
            if ("{[(".indexOf(c) >= 0) stack.push(c);
            else {
                char open = stack.isEmpty() ? '?' : stack.pop();
                System.out.print((open == '(' && c == ')' || open == '[' && c == ']' || open == '{' && c == '}') ? "ok " : "bad ");
            }
        }
        System.out.println("left=" + stack);
        List<Integer> nums = new ArrayList<>(List.of(5, 3, 9, 1));
        nums.addAll(1, List.of(7, 7));
        nums.removeAll(List.of(7));
        nums.retainAll(List.of(5, 9, 1, 42));
        System.out.println(nums + " " + nums.equals(List.of(5, 9, 1)) + " " + nums.hashCode() + " " + new LinkedList<>(nums).equals(nums));
        Object[] arr = nums.toArray();
        Integer[] typed = nums.toArray(new Integer[0]);
        System.out.println(arr.length + " " + typed[2] + " " + typed.getClass().getSimpleName());
        ArrayList<Integer> grow = new ArrayList<>(2);
        for (int i = 0; i < 10000; i++) grow.add(i);
        long s = 0;
        for (int i = grow.size() - 1; i >= 0; i -= 7) s += grow.get(i);
        System.out.println("grow " + grow.size() + " " + s);
        try {
            new ArrayDeque<String>().addFirst(null);
        } catch (NullPointerException e) {
            System.out.println("ArrayDeque null: NPE");
        }
        try {
            new LinkedList<String>().getFirst();
        } catch (java.util.NoSuchElementException e) {
            System.out.println("NoSuchElementException " + e.getMessage());
        }
    }
}
