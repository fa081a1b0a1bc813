// Non-Latin1 text (UTF-16 strings): lengths, code points, surrogates, case mapping, compare, encoding to bytes, printing.
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

public class S05Unicode {
    public static void main(String[] args) {
        String s = "héllo ☃ 日本 \uD83D\uDE00!";
        System.out.println(s);
        System.out.println(s.length() + " " + s.codePointCount(0, s.length()) + " " + s.indexOf('☃') + " " + s.indexOf("日本") + " " + s.charAt(1));
        System.out.println(s.toUpperCase() + " " + "ÀÉÎ".toLowerCase() + " " + "straße".toUpperCase() + " " + "ǅ".toLowerCase());
        System.out.println(Arrays.toString(s.getBytes(StandardCharsets.UTF_8)));
        System.out.println(Arrays.toString("é日".getBytes(StandardCharsets.UTF_16BE)) + " " + Arrays.toString("é?".getBytes(StandardCharsets.ISO_8859_1)));
        System.out.println(new String(new byte[]{(byte) 0xe6, (byte) 0x97, (byte) 0xa5, 0x41, (byte) 0xff}, StandardCharsets.UTF_8));
        s.codePoints().forEach(cp -> System.out.print(Integer.toHexString(cp) + " "));
        System.out.println();
        int hi = s.indexOf('\uD83D');
        System.out.println(Character.isHighSurrogate(s.charAt(hi)) + " " + Character.isLowSurrogate(s.charAt(hi + 1)) + " " + s.codePointAt(hi)
                + " " + Character.charCount(s.codePointAt(hi)) + " " + new String(Character.toChars(0x1F600)).equals(s.substring(hi, hi + 2)));
        String latin = "hello", utf = "héllo";
        System.out.println(latin.compareTo(utf) + " " + utf.compareTo(latin) + " " + "日".compareTo("本") + " " + utf.equals("h\u00e9llo") + " " + utf.hashCode());
        System.out.println(new StringBuilder(s).reverse());
        System.out.println(String.join("/", "α", "β", "γ") + " " + "ΑΒΓ".toLowerCase() + " " + "ω".repeat(3) + " " + "Ωmega".substring(1));
        System.out.println("tab\u00e9".replace('é', 'e') + " " + "x日y".split("日").length + " " + "日本語テキスト".substring(2, 5));
        char[] cs = "zébra".toCharArray();
        Arrays.sort(cs);
        System.out.println(new String(cs) + " " + "naïve café".strip().toUpperCase());
        StringBuilder sb = new StringBuilder();
        for (char ch = 'α'; ch <= 'ε'; ch++) sb.append(ch);
        System.out.println(sb + " " + (int) 'α');
        System.err.println("stderr: ünïcödé ☃");
    }
}
