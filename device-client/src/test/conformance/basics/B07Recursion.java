// Static/instance method calls, recursion, varargs, overloading of primitives and boxing.
public class B07Recursion {
    static int ack(int m, int n) {
        if (m == 0) return n + 1;
        if (n == 0) return ack(m - 1, 1);
        return ack(m - 1, ack(m, n - 1));
    }

    static long fact(int n) { return n <= 1 ? 1 : n * fact(n - 1); }

    static int gcd(int a, int b) { return b == 0 ? a : gcd(b, a % b); }

    static boolean isEven(int n) { return n == 0 || isOdd(n - 1); }
    static boolean isOdd(int n) { return n != 0 && isEven(n - 1); }

    static String o(int x) { return "int"; }
    static String o(long x) { return "long"; }
    static String o(double x) { return "double"; }
    static String o(Integer x) { return "Integer"; }
    static String o(Object x) { return "Object"; }
    static String o(int... x) { return "int..." + x.length; }

    static String p(long x) { return "long"; }
    static String p(Integer x) { return "Integer"; }

    static String q(Object x) { return "Object"; }
    static String q(String x) { return "String"; }

    static int sum(int... xs) { int s = 0; for (int x : xs) s += x; return s; }
    static String join(String sep, Object... xs) {
        StringBuilder sb = new StringBuilder();
        for (Object x : xs) { if (sb.length() > 0) sb.append(sep); sb.append(x); }
        return sb.toString();
    }

    static void hanoi(int n, char from, char to, char via, StringBuilder out) {
        if (n == 0) return;
        hanoi(n - 1, from, via, to, out);
        out.append(from).append(to).append(' ');
        hanoi(n - 1, via, to, from, out);
    }

    public static void main(String[] args) {
        System.out.println("ack(2,3)=" + ack(2, 3) + " ack(3,3)=" + ack(3, 3));
        for (int i = 0; i <= 21; i += 3) System.out.println(i + "! = " + fact(i));
        System.out.println("gcd " + gcd(1071, 462) + " " + gcd(17, 5));
        System.out.println("even " + isEven(10) + " " + isEven(7) + " odd " + isOdd(9));
        byte b = 1; short s = 2; char c = 'c'; long l = 4; float f = 5;
        System.out.println(o(b) + " " + o(s) + " " + o(c) + " " + o(3) + " " + o(l) + " " + o(f) + " " + o(Integer.valueOf(1))
                + " " + o("s") + " " + o() + " " + o(1, 2));
        System.out.println(p(1) + " " + q(null) + " " + q((Object) "x"));
        System.out.println("sum " + sum() + " " + sum(1) + " " + sum(1, 2, 3) + " " + sum(new int[]{4, 5}));
        System.out.println(join(", ", 1, 'c', 2.5, "s", null, true, 10L));
        StringBuilder sb = new StringBuilder();
        hanoi(4, 'A', 'C', 'B', sb);
        System.out.println("hanoi " + sb.toString().trim());
    }
}
