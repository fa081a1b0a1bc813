// String concatenation (indy StringConcatFactory) with every primitive type, null, char, objects, and constants.
public class S04Concatenation {
    static final String CONST = "const";
    static class Thing { public String toString() { return "Thing!"; } }
    static class NullString { public String toString() { return null; } }

    public static void main(String[] args) {
        boolean z = true; byte b = -8; short s = 1234; char c = 'Q'; int i = -77; long l = 1L << 50; float f = 1.25f; double d = -3e-7;
        String n = null; Object o = new Thing(); Object ns = new NullString();
        System.out.println("z=" + z + " b=" + b + " s=" + s + " c=" + c + " i=" + i + " l=" + l + " f=" + f + " d=" + d);
        System.out.println("null=" + n + " obj=" + o + " nullToString=" + ns + " arrLen=" + new int[2].length);
        System.out.println(c + c + "|" + c + c + "|" + (char) (c + 1) + "|" + 1 + 2 + "|" + (1 + 2) + "|" + 1.0f + 2L);
        System.out.println(n + n + CONST + CONST.length() + 'x' + 'y' + 10 + 20);
        String acc = "";
        for (int k = 0; k < 10; k++) acc += k;
        acc += null;
        acc += 'z';
        acc += 1.5;
        System.out.println(acc);
        char[] arr = {'a', 'b'};
        System.out.println("chars " + String.valueOf(arr) + " " + (arr.length + "x"));
        String un = "日本";
        System.out.println("unicode " + un + c + un.length() + '☃');
        Integer boxed = 5; Long lb = null; Character cb = 'w';
        System.out.println("boxed " + boxed + lb + cb + (boxed + 1));
        System.out.println("" + Long.MIN_VALUE + Integer.MIN_VALUE + Double.MIN_VALUE + Float.MAX_VALUE + Byte.MIN_VALUE + Short.MAX_VALUE);
        String many = "a" + 1 + "b" + 2 + "c" + 3 + "d" + 4 + "e" + 5 + "f" + 6 + "g" + 7 + "h" + 8 + "i" + 9 + "j" + 10 + "k" + 11 + "l" + 12
                + z + b + s + c + i + l + f + d + n + o;
        System.out.println(many + " " + many.length());
        String x = "x";
        String y = x + "y";
        System.out.println((y == "xy") + " " + y.equals("xy") + " " + (y.intern() == "xy") + " " + ("x" + "y" == "xy"));
        System.out.println(("con" + "st") == CONST);
        String t = "\u0000\u0001\t\"\\";
        System.out.println(t.length() + " " + (int) t.charAt(0) + t.substring(2));
    }
}
