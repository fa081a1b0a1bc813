// Loops, labelled break/continue, ternaries, compound assignment, short-circuit evaluation.
public class B05ControlFlow {
    static int calls;

    static boolean t(String s) { calls++; System.out.print(s); return true; }
    static boolean f(String s) { calls++; System.out.print(s); return false; }

    public static void main(String[] args) {
        outer:
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                if (j == 3) continue outer;
                if (i == 3) break outer;
                System.out.print(i * 10 + j + " ");
            }
        }
        System.out.println();
        int n = 0;
        loop:
        while (true) {
            n++;
            do {
                n += 2;
                if (n > 20) break loop;
            } while (n % 5 != 0);
        }
        System.out.println("n=" + n);
        block:
        {
            if (n > 0) break block;
            System.out.println("unreachable at runtime");
        }
        System.out.println(t("a") || f("b"));
        System.out.println(f("a") && t("b"));
        System.out.println(f("a") | t("b"));
        System.out.println(t("a") & f("b"));
        System.out.println(t("a") ^ t("b"));
        System.out.println("calls=" + calls);
        for (int i = -2; i <= 2; i++) {
            String s = i < 0 ? "neg" : i == 0 ? "zero" : "pos";
            int abs = i < 0 ? -i : i;
            System.out.println(i + " " + s + " " + abs);
        }
        Object o = true ? 1 : "x";
        System.out.println(o + " " + o.getClass().getSimpleName());
        Object o2 = true ? 'a' : 0;
        System.out.println(o2 + " " + o2.getClass().getSimpleName());
        Object o3 = false ? 1.0 : 2;
        System.out.println(o3 + " " + o3.getClass().getSimpleName());
        int x = 10;
        x += 5; x -= 3; x *= 4; x /= 3; x %= 7; x <<= 3; x >>= 1; x ^= 0xF; x |= 0x100; x &= 0x1F0;
        System.out.println("x=" + x);
        long acc = 1;
        for (int i = 0; i < 70; i++) acc *= 3;
        System.out.println("acc=" + acc);
        int ci = 'A';
        ci += 1.7;
        System.out.println("ci=" + ci);
        short sh = 10;
        sh *= 1000.5;
        System.out.println("sh=" + sh);
        int fib = 0, a = 0, b = 1;
        for (int i = 0; i < 40; i++) { fib = a + b; a = b; b = fib; }
        System.out.println("fib=" + fib);
        int count = 0;
        for (int i = 0, j = 100; i < j; i += 3, j -= 2) count++;
        System.out.println("count=" + count);
        var sb = new StringBuilder();
        for (char c = 'a'; c <= 'z'; c += 5) sb.append(c);
        System.out.println(sb);
    }
}
