// Integer and long arithmetic: overflow, MIN_VALUE / -1, remainder signs, shifts with large counts.
public class B01IntArithmetic {
    static int id(int x) { return x; }
    static long idl(long x) { return x; }

    public static void main(String[] args) {
        int max = id(Integer.MAX_VALUE), min = id(Integer.MIN_VALUE);
        System.out.println("max+1=" + (max + 1));
        System.out.println("min-1=" + (min - 1));
        System.out.println("max*2=" + (max * 2));
        System.out.println("min/-1=" + (min / id(-1)));
        System.out.println("min%-1=" + (min % id(-1)));
        System.out.println("-min=" + (-min));
        System.out.println("abs(min)=" + Math.abs(min));
        int[] as = {7, -7, 7, -7, 0, 13, -13};
        int[] bs = {3, 3, -3, -3, 5, 13, 4};
        for (int i = 0; i < as.length; i++) {
            int a = id(as[i]), b = id(bs[i]);
            System.out.println(a + "/" + b + "=" + (a / b) + " " + a + "%" + b + "=" + (a % b)
                    + " floorDiv=" + Math.floorDiv(a, b) + " floorMod=" + Math.floorMod(a, b));
        }
        int one = id(1);
        int[] counts = {0, 1, 31, 32, 33, 63, 64, -1, -31, 100};
        for (int c : counts) {
            System.out.println("shift " + c + ": 1<<c=" + (one << c) + " -8>>c=" + (id(-8) >> c)
                    + " -8>>>c=" + (id(-8) >>> c) + " 1L<<c=" + (1L << c) + " -8L>>>c=" + (idl(-8L) >>> c));
        }
        long lmax = idl(Long.MAX_VALUE), lmin = idl(Long.MIN_VALUE);
        System.out.println("lmax+1=" + (lmax + 1));
        System.out.println("lmin/-1=" + (lmin / idl(-1)));
        System.out.println("lmin%-1=" + (lmin % idl(-1)));
        System.out.println("lmax*lmax=" + (lmax * lmax));
        System.out.println("-7L%3=" + (idl(-7) % 3) + " 7L/-2=" + (idl(7) / -2));
        // int * int overflow before widening
        long wrong = id(100000) * id(100000);
        long right = (long) id(100000) * id(100000);
        System.out.println("wrong=" + wrong + " right=" + right);
        // bitwise
        int x = id(0x12345678);
        System.out.println("and=" + (x & 0xFF) + " or=" + (x | 0xF) + " xor=" + (x ^ -1) + " not=" + (~x));
        System.out.println("hex=" + Integer.toHexString(x) + " rotl=" + Integer.toHexString(Integer.rotateLeft(x, 8)));
        // increments
        int i = id(5);
        int j = i++ + ++i;
        System.out.println("i=" + i + " j=" + j);
        i = i++;
        System.out.println("i=i++ -> " + i);
        long sum = 0;
        for (int k = 0; k < 1000; k++) sum += (long) k * k * k;
        System.out.println("sum cubes=" + sum);
        int h = 0;
        for (int k = 0; k < 100; k++) h = 31 * h + k;
        System.out.println("hash-ish=" + h);
        // long compare
        long a = idl(-1), b = idl(1);
        System.out.println("cmp " + (a < b) + " " + (a > b) + " " + Long.compare(a, b) + " " + Long.compareUnsigned(a, b));
        System.out.println("unsigned " + Integer.toUnsignedString(-1) + " " + Long.toUnsignedString(-1L)
                + " " + Integer.divideUnsigned(-1, 3) + " " + Long.remainderUnsigned(-1L, 7));
    }
}
