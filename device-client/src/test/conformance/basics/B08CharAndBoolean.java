// char arithmetic and boolean logic with static and instance fields of every primitive type.
public class B08CharAndBoolean {
    static boolean sz; static byte sb; static short ss; static char sc; static int si; static long sl; static float sf; static double sd;
    static Object so;
    boolean z; byte b; short s; char c; int i; long l; float f; double d; String str;

    public static void main(String[] args) {
        System.out.println("static defaults " + sz + " " + sb + " " + ss + " [" + (int) sc + "] " + si + " " + sl + " " + sf + " " + sd + " " + so);
        B08CharAndBoolean o = new B08CharAndBoolean();
        System.out.println("instance defaults " + o.z + " " + o.b + " " + o.s + " [" + (int) o.c + "] " + o.i + " " + o.l + " " + o.f + " " + o.d + " " + o.str);
        o.z = true; o.b = -128; o.s = -32768; o.c = '\uffff'; o.i = -1; o.l = Long.MIN_VALUE; o.f = -0.0f; o.d = Double.MIN_VALUE;
        System.out.println("instance set " + o.z + " " + o.b + " " + o.s + " " + (int) o.c + " " + o.i + " " + o.l + " " + o.f + " " + o.d);
        o.b--; o.s--; o.c++; o.i >>>= 28; o.l--;
        System.out.println("wrapped " + o.b + " " + o.s + " " + (int) o.c + " " + o.i + " " + o.l);
        sc = 'a';
        for (int k = 0; k < 26; k++) { System.out.print((char) (sc + k)); }
        System.out.println();
        char up = 'q';
        up -= 32;
        System.out.println("upper " + up + " digit " + (char) ('0' + 7) + " val " + ('7' - '0') + " sum " + ('a' + 'b') + " cat " + 'a' + 'b');
        System.out.println("" + 'a' + 'b' + " " + (char) 97 + (char) 98);
        boolean p = true, q = false;
        System.out.println("logic " + (p & q) + (p | q) + (p ^ q) + (!p) + (p == q) + (p != q));
        int bits = 0;
        for (int k = 0; k < 8; k++) {
            boolean on = (k % 3 == 0) ^ (k % 2 == 0);
            if (on) bits |= 1 << k;
        }
        System.out.println("bits " + Integer.toBinaryString(bits));
        sz = !sz; sb += 200; ss += 70000; si = 'x' * 'y'; sl = si * (long) si; sf = si / 7f; sd = sl / 7.0;
        System.out.println("statics " + sz + " " + sb + " " + ss + " " + si + " " + sl + " " + sf + " " + sd);
        char[] hex = "0123456789abcdef".toCharArray();
        StringBuilder h = new StringBuilder();
        for (int v = 0xCAFE; v != 0; v >>>= 4) h.insert(0, hex[v & 15]);
        System.out.println("hex " + h);
        System.out.println("Character.MAX " + (int) Character.MAX_VALUE + " MIN " + (int) Character.MIN_VALUE + " compare " + Character.compare('a', 'b'));
        System.out.println("Boolean " + Boolean.parseBoolean("TRUE") + " " + Boolean.parseBoolean("yes") + " " + Boolean.logicalXor(true, false)
                + " " + Boolean.compare(true, false) + " " + Boolean.hashCode(true) + " " + Boolean.hashCode(false));
    }
}
