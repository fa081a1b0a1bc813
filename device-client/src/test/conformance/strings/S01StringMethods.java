// String methods: substring, indexOf, split, replace, strip/trim, repeat, chars, compareTo, equalsIgnoreCase, case
// conversion, join, valueOf, contains/startsWith, isBlank, lines, toCharArray, regionMatches.
import java.util.Arrays;

public class S01StringMethods {
    public static void main(String[] args) {
        String s = "Hello, World! Hello, Java!";
        System.out.println(s.length() + " " + s.substring(7) + "|" + s.substring(7, 12) + "|" + s.substring(0, 0) + "|");
        System.out.println(s.indexOf('o') + " " + s.indexOf("Hello", 1) + " " + s.lastIndexOf("Hello") + " " + s.indexOf("xyz") + " " + s.lastIndexOf('!', 20)
                + " " + s.indexOf('W', 100) + " " + s.indexOf(""));
        System.out.println(Arrays.toString("a,b,,c,,".split(",")) + Arrays.toString("a,b,,c,,".split(",", -1)) + Arrays.toString("a,b,c".split(",", 2)));
        System.out.println(Arrays.toString("  one  two three ".trim().split("\\s+")) + Arrays.toString("a1b22c333d".split("[0-9]+"))
                + Arrays.toString("x.y.z".split("\\.")) + Arrays.toString("abc".split("")) + Arrays.toString("a|b".split("\\|")));
        System.out.println(s.replace('l', 'L') + " " + s.replace("Hello", "Bye") + " " + "aaa".replace("aa", "b") + " " + "x".replace("", "-"));
        System.out.println("a-b_c d".replaceAll("[-_ ]", "+") + " " + "aaa bbb".replaceFirst("b+", "X") + " " + "2024-01-15".matches("\\d{4}-\\d{2}-\\d{2}"));
        String ws = " \t padded \u2003\n";
        System.out.println("[" + ws.trim() + "][" + ws.strip() + "][" + ws.stripLeading() + "][" + ws.stripTrailing() + "] " + ws.isBlank() + " " + "".isEmpty());
        System.out.println("ab".repeat(3) + "|" + "x".repeat(0) + "|" + "-".repeat(10));
        System.out.println("abc".chars().sum() + " " + "hello".chars().filter(c -> c == 'l').count() + " " + "abc".codePoints().map(c -> c - 'a').boxed().toList());
        String[] cmp = {"apple", "Apple", "apples", "banana", "", "APPLE"};
        for (String a : cmp) {
            System.out.print(a + ":");
            for (String b : cmp) System.out.print(" " + a.compareTo(b) + "/" + a.compareToIgnoreCase(b) + "/" + (a.equalsIgnoreCase(b) ? 1 : 0));
            System.out.println();
        }
        System.out.println("MiXeD 123 ß".toUpperCase() + " " + "MiXeD İ".toLowerCase().length() + " " + "TITLE".toLowerCase());
        System.out.println(String.join("-", "a", "b", "c") + " " + String.join(", ", java.util.List.of("x", "y")) + " " + String.join("", new String[0]).length());
        System.out.println(String.valueOf(1) + String.valueOf(2L) + String.valueOf(3.0f) + String.valueOf(4.5) + String.valueOf(true) + String.valueOf('c')
                + String.valueOf((Object) null) + String.valueOf(new char[]{'x', 'y'}));
        System.out.println(s.contains("World") + " " + s.startsWith("Hello") + " " + s.startsWith("World", 7) + " " + s.endsWith("!") + " " + s.charAt(4));
        System.out.println("line1\nline2\r\nline3".lines().map(String::toUpperCase).toList());
        System.out.println("Hello".regionMatches(true, 1, "XELLX", 1, 3) + " " + "hello".concat(" there") + " " + "a".compareTo("b"));
        System.out.println(new String(new char[]{'a', 'b', 'c'}, 1, 2) + " " + "abc".toCharArray().length + " " + "text".intern() + " " + "tab\tend".indexOf('\t'));
        System.out.println("hashes " + "".hashCode() + " " + "a".hashCode() + " " + s.hashCode() + " " + "polygenelubricants".hashCode());
        System.out.println("%d items".formatted(3) + " " + "  indent".indent(2).replace("\n", "$") + " " + "a\\tb".translateEscapes());
        StringBuilder sb = new StringBuilder();
        for (String part : "the quick brown fox jumps over the lazy dog".split(" ")) {
            sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1)).append(' ');
        }
        System.out.println(sb.toString().strip());
        System.out.println("Mississippi".replace("ss", "SS").indexOf("SS", 4) + " " + "Mississippi".chars().distinct().count());
    }
}
