// Primitive conversions: d2i/d2l of NaN and huge values, l2i, i2b/i2c/i2s, widening of char, float rounding.
public class B03Casts {
    static double d(double x) { return x; }
    static long l(long x) { return x; }
    static int i(int x) { return x; }

    public static void main(String[] args) {
        double[] ds = {Double.NaN, 1e300, -1e300, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 3.99, -3.99, 2147483647.5,
                -2147483648.9, 9.3e18, -9.3e18, 0.5, -0.5, 1e-300};
        for (double v : ds) {
            double x = d(v);
            System.out.println(v + " -> int " + (int) x + " long " + (long) x + " float " + (float) x
                    + " short " + (short) x + " byte " + (byte) x + " char " + (int) (char) x);
        }
        long[] ls = {l(0x1_0000_0001L), l(-1L), l(0x8000_0000L), l(Long.MAX_VALUE), l(Long.MIN_VALUE), l(0xFFFF_FFFFL), l(123456789012345L)};
        for (long v : ls) {
            System.out.println(v + " -> int " + (int) v + " float " + (float) v + " double " + (double) v + " byte " + (byte) v);
        }
        int[] is = {i(127), i(128), i(255), i(256), i(-129), i(65535), i(65536), i(-1), i(0x12345678), i(40000), i(-40000)};
        for (int v : is) {
            System.out.println(v + " -> byte " + (byte) v + " short " + (short) v + " char " + (int) (char) v + " float " + (float) v);
        }
        System.out.println("big int to float " + (float) i(16777217) + " " + (float) i(Integer.MAX_VALUE) + " " + (double) i(Integer.MAX_VALUE));
        System.out.println("long to double " + (double) l(9007199254740993L) + " back " + (long) (double) l(9007199254740993L));
        float fl = (float) d(0.1);
        System.out.println("0.1 float->double " + (double) fl);
        char c = (char) i(65);
        c += 2;
        System.out.println("char " + c + " " + (int) c + " " + (char) (c + 1) + " " + (c + 1));
        byte b = (byte) i(120);
        b += 10;
        short s = (short) i(32767);
        s++;
        System.out.println("byte wrap " + b + " short wrap " + s);
        b >>>= 1;
        System.out.println("byte >>>= " + b);
        char cc = (char) -1;
        System.out.println("char -1 " + (int) cc + " >> " + (cc >> 4));
        int fromChar = 'z' - 'a';
        System.out.println("z-a " + fromChar + " " + (char) ('a' + 3));
        System.out.println("rounding " + Math.round(2.5) + " " + Math.round(-2.5) + " " + Math.round(2.4f) + " " + Math.rint(2.5)
                + " " + Math.floor(-1.1) + " " + Math.ceil(-1.1) + " " + Math.round(Double.NaN) + " " + Math.round(1e20));
    }
}
