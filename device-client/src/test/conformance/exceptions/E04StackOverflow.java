// StackOverflowError caught after deep recursion; the program continues normally afterwards.
public class E04StackOverflow {
    static int depth;

    static int recurse(int n) {
        depth++;
        return recurse(n + 1) + 1;
    }

    static long recurseWithLocals(long a, long b, long c) {
        long d = a + b, e = b + c, f = c + a;
        return recurseWithLocals(d, e, f) + d + e + f;
    }

    public static void main(String[] args) {
        try {
            recurse(0);
        } catch (StackOverflowError e) {
            System.out.println("caught SOE");
        }
        System.out.println("depth > 1000: " + (depth > 1000));
        try {
            recurseWithLocals(1, 2, 3);
        } catch (StackOverflowError e) {
            System.out.println("caught SOE again");
        }
        try {
            Object[] self = new Object[1];
            self[0] = self;
            java.util.List<Object> l = new java.util.ArrayList<>();
            l.add(l);
            System.out.println(l);
        } catch (StackOverflowError e) {
            System.out.println("caught SOE in toString? no: ArrayList prints (this Collection)");
        }
        java.util.List<Object> a = new java.util.ArrayList<>(), b = new java.util.ArrayList<>();
        a.add(b);
        b.add(a);
        try {
            System.out.println(a.hashCode());
        } catch (StackOverflowError e) {
            System.out.println("caught SOE in mutual hashCode");
        }
        System.out.println("after: " + fib(20));
    }

    static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
}
