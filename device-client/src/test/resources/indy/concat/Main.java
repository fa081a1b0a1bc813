package p;

import java.util.List;

/** String concatenation by invokedynamic: every argument type, null, char[] and the literal recipe characters. */
public class Main {
    static int calls;

    static final class Loud {
        final String name;
        Loud(String name) { this.name = name; }
        @Override public String toString() { calls++; System.out.println("toString " + name + " #" + calls); return name; }
    }

    static final class NullString {
        @Override public String toString() { return null; }
    }

    /** A CharSequence whose characters are not its toString. */
    static final class Chars implements CharSequence {
        public int length() { return 3; }
        public char charAt(int i) { return "abc".charAt(i); }
        public CharSequence subSequence(int s, int e) { return "abc".subSequence(s, e); }
        @Override public String toString() { return "TS"; }
    }

    public static void main(String[] args) {
        boolean z = true; byte b = -7; short s = 30000; char c = 'é'; int i = Integer.MIN_VALUE;
        long l = Long.MAX_VALUE; float f = 1.0e10f; double d = Double.MIN_VALUE;
        System.out.println("z=" + z + " b=" + b + " s=" + s + " c=" + c + " i=" + i + " l=" + l + " f=" + f + " d=" + d);
        System.out.println(b + s + "|" + (s + c) + "|" + c + c + "|" + 'x' + i + z);
        float nan = Float.NaN; double negZero = -0.0; float fInf = Float.NEGATIVE_INFINITY;
        System.out.println("floats " + nan + " " + negZero + " " + fInf + " " + 0.1f + " " + (0.1 + 0.2) + " " + 100.0 / 3);
        String nullString = null; Object nullObject = null; Integer nullInteger = null; char[] nullChars = null;
        System.out.println("nulls " + nullString + nullObject + nullInteger + nullChars + " " + new NullString());
        Integer boxed = 42; Character boxedChar = 'q'; Boolean boxedBool = false; Long boxedLong = -1L;
        System.out.println("boxed " + boxed + boxedChar + boxedBool + boxedLong);
        char[] chars = {'h', 'i'};
        String withChars = "[" + chars + "]";
        System.out.println("char[] appends its toString: "
                + withChars.equals("[".concat(String.valueOf((Object) chars)).concat("]")) + " "
                + withChars.startsWith("[[C@") + " " + withChars.contains("hi"));
        int[] ints = {1};
        System.out.println("int[] " + ("" + ints).equals(String.valueOf((Object) ints)));
        CharSequence cs = new Chars();
        StringBuilder sb = new StringBuilder("builder");
        System.out.println("char sequence " + cs + " " + sb + " " + List.of(1, 2));
        System.out.println("tags \u0001 and \u0002 and \u0000 and \\u0001 " + i + "\u0001" + z + "\u0002");
        System.out.println("unicode \uD83D\uDE00 \u20AC " + c + " tab\tnewline\\n quote\" ");
        String empty = "";
        System.out.println(empty + empty);
        System.out.println("" + empty + i);
        calls = 0;
        Loud a = new Loud("A");
        Loud bb = new Loud("B");
        System.out.println("order: " + a + " then " + bb + " then " + a);
        String acc = "";
        for (int k = 0; k < 5; k++) {
            acc += k + ",";
        }
        System.out.println(acc);
        final String constant = "const";
        System.out.println(constant + "-" + 1 + 2L + 'c' + 1.5f + true);
        System.out.println(many());
        System.out.println(manyWide());
    }

    /** 250 one-slot arguments: javac splits the concatenation into sites of at most 200 slots. */
    static String many() {
        int x0 = 0, x1 = 1, x2 = 2, x3 = 3, x4 = 4, x5 = 5, x6 = 6, x7 = 7, x8 = 8, x9 = 9;
        return "" + x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9
                + x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9
                + x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9
                + x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9
                + x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9
                + "|" + x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9
                + x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9
                + x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9
                + x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9
                + x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9
                + "|" + x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9
                + x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9
                + x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + "end";
    }

    /** 120 two-slot arguments (240 slots). */
    static String manyWide() {
        long a = 1, b = 2, c = 3; double d = 0.5, e = 1e-5, f = -3;
        String s = "";
        s = s + a + b + c + d + e + f + a + b + c + d + e + f + a + b + c + d + e + f + a + b + c + d + e + f
                + a + b + c + d + e + f + a + b + c + d + e + f + a + b + c + d + e + f + a + b + c + d + e + f
                + a + b + c + d + e + f + a + b + c + d + e + f + a + b + c + d + e + f + a + b + c + d + e + f
                + a + b + c + d + e + f + a + b + c + d + e + f + a + b + c + d + e + f + a + b + c + d + e + f
                + a + b + c + d + e + f + a + b + c + d + e + f + a + b + c + d + e + f + a + b + c + d + e + f;
        return s;
    }
}
