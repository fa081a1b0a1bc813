// Array exceptions and their messages: index out of bounds (load/store/every type), negative size, array store,
// System.arraycopy overlap and its failures, null array.
import java.util.Arrays;

public class A04ArrayExceptions {
    static int idx(int i) { return i; }

    interface Attempt { void run() throws Throwable; }

    static void attempt(String label, Attempt a) {
        try {
            a.run();
            System.out.println(label + ": no exception");
        } catch (Throwable t) {
            System.out.println(label + ": " + t.getClass().getName() + ": " + t.getMessage());
        }
    }

    public static void main(String[] args) {
        int[] ia = new int[3];
        attempt("int load 5", () -> System.out.println(ia[idx(5)]));
        attempt("int store -1", () -> ia[idx(-1)] = 1);
        attempt("long load 3", () -> System.out.println((new long[3])[idx(3)]));
        byte[] ba = new byte[0];
        attempt("byte store", () -> ba[idx(0)] = 1);
        attempt("char load", () -> System.out.println((new char[2])[idx(Integer.MAX_VALUE)]));
        double[] da = new double[1];
        attempt("double store", () -> da[idx(Integer.MIN_VALUE)] = 1);
        attempt("boolean load", () -> System.out.println((new boolean[4])[idx(4)]));
        String[] sa = new String[2];
        attempt("object store", () -> sa[idx(2)] = "x");
        attempt("2d inner", () -> System.out.println((new int[2][3])[idx(1)][idx(3)]));
        attempt("negative size", () -> System.out.println(new int[idx(-5)].length));
        attempt("negative multi", () -> System.out.println(new int[idx(2)][idx(-3)].length));
        attempt("negative obj", () -> System.out.println(new String[idx(-1)].length));
        attempt("array store", () -> { Object[] o = new String[1]; o[0] = Integer.valueOf(1); });
        attempt("array store nested", () -> { Object[] o = new Integer[1][]; o[0] = new int[0]; });
        attempt("array store ok null", () -> { Object[] o = new String[1]; o[0] = null; });
        attempt("null load", () -> { int[] n = null; System.out.println(n[idx(0)]); });
        attempt("null length", () -> { int[] n = null; System.out.println(n.length); });
        attempt("string charAt", () -> "abc".charAt(idx(3)));
        attempt("substring", () -> "abc".substring(idx(2), idx(1)));
        attempt("list get", () -> new java.util.ArrayList<String>().get(idx(0)));
        attempt("Arrays.copyOfRange", () -> Arrays.copyOfRange(new int[3], 2, 1));

        int[] seq = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        System.arraycopy(seq, 0, seq, 2, 6);
        System.out.println("overlap right " + Arrays.toString(seq));
        int[] seq2 = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        System.arraycopy(seq2, 3, seq2, 1, 6);
        System.out.println("overlap left " + Arrays.toString(seq2));
        Object[] objs = {"a", "b", 1, "c"};
        String[] dst = new String[4];
        attempt("arraycopy partial store", () -> System.arraycopy(objs, 0, dst, 0, 4));
        System.out.println("dst after partial " + Arrays.toString(dst));
        attempt("arraycopy type mismatch", () -> System.arraycopy(new int[2], 0, new long[2], 0, 2));
        attempt("arraycopy not array", () -> System.arraycopy("abc", 0, new char[3], 0, 3));
        attempt("arraycopy dst not array", () -> System.arraycopy(new char[3], 0, "abc", 0, 3));
        attempt("arraycopy prim to obj", () -> System.arraycopy(new int[2], 0, new Object[2], 0, 2));
        attempt("arraycopy src oob", () -> System.arraycopy(new int[3], 2, new int[5], 0, 2));
        attempt("arraycopy dst oob", () -> System.arraycopy(new int[3], 0, new int[5], 4, 2));
        attempt("arraycopy negative len", () -> System.arraycopy(new int[3], 0, new int[5], 0, -1));
        attempt("arraycopy negative src", () -> System.arraycopy(new int[3], -1, new int[5], 0, 1));
        attempt("arraycopy null src", () -> System.arraycopy(null, 0, new int[5], 0, 1));
        attempt("arraycopy zero len oob ok", () -> System.arraycopy(new int[3], 3, new int[5], 5, 0));
        attempt("arraycopy obj oob", () -> System.arraycopy(new String[3], 0, new Object[2], 0, 3));
        long[] ls = {1, 2, 3, 4};
        System.arraycopy(ls, 1, ls, 0, 3);
        System.out.println(Arrays.toString(ls));
    }
}
