// java.util.Arrays: fill, sort (primitives incl. NaN/-0.0, objects, ranges, comparator), binarySearch, equals,
// copyOf/copyOfRange, asList, hashCode, mismatch, compare, setAll.
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

public class A03ArraysUtility {
    public static void main(String[] args) {
        int[] a = new int[10];
        Arrays.fill(a, 7);
        Arrays.fill(a, 2, 5, -1);
        System.out.println(Arrays.toString(a));
        int[] r = new int[2000];
        long seed = 12345;
        for (int i = 0; i < r.length; i++) {
            seed = (seed * 6364136223846793005L + 1442695040888963407L);
            r[i] = (int) (seed >>> 40) % 1000 - 500;
        }
        Arrays.sort(r);
        System.out.println(r[0] + " " + r[1] + " " + r[999] + " " + r[1999] + " hash " + Arrays.hashCode(r));
        System.out.println("search " + Arrays.binarySearch(r, r[500]) / 1000 + " missing " + Arrays.binarySearch(new int[]{1, 3, 5, 7}, 4)
                + " " + Arrays.binarySearch(new int[]{1, 3, 5, 7}, 9) + " " + Arrays.binarySearch(new int[]{1, 3, 5, 7}, 0));
        double[] d = {3.5, -0.0, Double.NaN, 0.0, -1e10, Double.POSITIVE_INFINITY, 1, Double.NEGATIVE_INFINITY, 0.0, -0.0};
        Arrays.sort(d);
        System.out.println(Arrays.toString(d));
        float[] f = {2f, Float.NaN, -0f, 0f, -2f};
        Arrays.sort(f);
        System.out.println(Arrays.toString(f));
        char[] cs = "the quick brown fox".toCharArray();
        Arrays.sort(cs);
        System.out.println("[" + new String(cs) + "]");
        long[] ls = {5, 3, 9, 1, 7, 2};
        Arrays.sort(ls, 1, 5);
        System.out.println(Arrays.toString(ls));
        String[] words = {"pear", "Apple", "fig", "banana", "apple", "Cherry", "date"};
        String[] w1 = words.clone();
        Arrays.sort(w1);
        System.out.println(Arrays.toString(w1));
        Arrays.sort(w1, String.CASE_INSENSITIVE_ORDER);
        System.out.println(Arrays.toString(w1));
        Arrays.sort(w1, Comparator.comparing(String::length).thenComparing(Comparator.reverseOrder()));
        System.out.println(Arrays.toString(w1));
        Integer[] boxed = new Integer[40];
        for (int i = 0; i < boxed.length; i++) boxed[i] = (i * 17) % 40;
        Arrays.sort(boxed, Comparator.reverseOrder());
        System.out.println(Arrays.toString(boxed));
        System.out.println(Arrays.toString(Arrays.copyOf(new int[]{1, 2, 3}, 5)) + Arrays.toString(Arrays.copyOf(new String[]{"a", "b"}, 1))
                + Arrays.toString(Arrays.copyOfRange(new char[]{'a', 'b', 'c', 'd'}, 1, 6)));
        System.out.println(Arrays.equals(new int[]{1, 2}, new int[]{1, 2}) + " " + Arrays.equals(new double[]{Double.NaN}, new double[]{Double.NaN})
                + " " + Arrays.equals(new double[]{0.0}, new double[]{-0.0}) + " " + Arrays.equals((int[]) null, null));
        System.out.println(Arrays.mismatch(new int[]{1, 2, 3}, new int[]{1, 2, 4}) + " " + Arrays.compare(new int[]{1, 2}, new int[]{1, 3})
                + " " + Arrays.compare(new String[]{"b"}, new String[]{"a", "z"}));
        List<String> list = Arrays.asList("x", "y", "z");
        list.set(1, "Y");
        System.out.println(list + " " + list.size() + " " + list.indexOf("z"));
        try {
            list.add("w");
        } catch (UnsupportedOperationException e) {
            System.out.println("UOE " + e.getMessage());
        }
        long[] sq = new long[8];
        Arrays.setAll(sq, i -> (long) i * i);
        System.out.println(Arrays.toString(sq) + " " + Arrays.stream(sq).sum());
        Object[] objs = {3, "b", 1.5};
        System.out.println(Arrays.hashCode(objs) + " " + Arrays.asList(objs).contains("b"));
        try {
            Arrays.sort(new Object[]{1, "a"});
        } catch (ClassCastException e) {
            System.out.println("CCE in sort");
        }
        byte[] bs = {5, -3, 127, -128, 0};
        Arrays.sort(bs);
        short[] ss = {300, -300, 5};
        Arrays.sort(ss);
        System.out.println(Arrays.toString(bs) + Arrays.toString(ss));
    }
}
