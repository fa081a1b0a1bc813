// Switch: dense (tableswitch), sparse (lookupswitch), fallthrough, on strings (incl. hash collisions), chars, enums.
public class B06Switches {
    enum Color { RED, GREEN, BLUE, YELLOW }

    static String dense(int i) {
        switch (i) {
            case 0: return "zero";
            case 1: return "one";
            case 2:
            case 3: return "two-or-three";
            case 4: return "four";
            case 5: return "five";
            default: return "other";
        }
    }

    static String sparse(int i) {
        switch (i) {
            case -1000000: return "minus million";
            case -1: return "minus one";
            case 7: return "seven";
            case 1000: return "thousand";
            case 65536: return "2^16";
            case Integer.MAX_VALUE: return "max";
            case Integer.MIN_VALUE: return "min";
            default: return "?";
        }
    }

    static int fallthrough(int i) {
        int r = 0;
        switch (i) {
            case 1: r += 1;
            case 2: r += 10;
            case 3: r += 100; break;
            case 4: r += 1000;
            default: r += 10000;
        }
        return r;
    }

    static String str(String s) {
        switch (s) {
            case "Aa": return "Aa";
            case "BB": return "BB (same hash as Aa)";
            case "hello": return "greeting";
            case "": return "empty";
            default: return "unknown " + s;
        }
    }

    static String color(Color c) {
        switch (c) {
            case RED: return "stop";
            case GREEN: return "go";
            default: return "careful";
        }
    }

    static int arrow(Object o) {
        String s = String.valueOf(o);
        return switch (s.length()) {
            case 0 -> -1;
            case 1, 2 -> 1;
            case 3 -> {
                int x = s.charAt(0);
                yield x;
            }
            default -> s.length() * 100;
        };
    }

    static String chars(char c) {
        return switch (c) {
            case 'a', 'e', 'i', 'o', 'u' -> "vowel";
            case ' ' -> "space";
            case '\u00e9' -> "e-acute";
            default -> Character.isDigit(c) ? "digit" : "consonant";
        };
    }

    static String longSwitch(long v) {
        switch ((int) (v % 3)) {
            case 0: return "div";
            case 1: case -1: return "one";
            default: return "two";
        }
    }

    public static void main(String[] args) {
        for (int i = -1; i <= 7; i++) System.out.println("dense " + i + " " + dense(i));
        int[] sp = {-1000000, -1, 0, 7, 8, 1000, 65536, Integer.MAX_VALUE, Integer.MIN_VALUE, 999};
        for (int i : sp) System.out.println("sparse " + i + " " + sparse(i));
        for (int i = 0; i <= 5; i++) System.out.println("fall " + i + " " + fallthrough(i));
        for (String s : new String[]{"Aa", "BB", "hello", "", "C#", "HELLO"}) System.out.println("str " + str(s));
        for (Color c : Color.values()) System.out.println("enum " + c + " " + color(c));
        for (Object o : new Object[]{"", "ab", "xyz", 12345, null}) System.out.println("arrow " + o + " " + arrow(o));
        for (char c : "ai 9x\u00e9".toCharArray()) System.out.println("char " + c + " " + chars(c));
        for (long v = -4; v <= 4; v++) System.out.println("long " + v + " " + longSwitch(v));
        try {
            str(null);
        } catch (NullPointerException e) {
            System.out.println("switch on null string: NPE");
        }
        try {
            color(null);
        } catch (NullPointerException e) {
            System.out.println("switch on null enum: NPE");
        }
    }
}
