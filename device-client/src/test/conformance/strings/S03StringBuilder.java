// StringBuilder: append of every type, insert, reverse (incl. surrogate pairs), delete, deleteCharAt, setLength,
// setCharAt, replace, indexOf, capacity growth, chaining; StringBuffer.
public class S03StringBuilder {
    public static void main(String[] args) {
        StringBuilder sb = new StringBuilder();
        sb.append(1).append('c').append(2L).append(3.5f).append(4.25).append(true).append((Object) null).append((String) null)
                .append(new char[]{'x', 'y'}).append("str").append(new StringBuilder("sb")).append(-0.0);
        System.out.println(sb + " " + sb.length());
        sb.insert(0, "START").insert(5, '_').insert(sb.length(), 99).insert(3, 1.5);
        System.out.println(sb);
        sb.delete(0, 6).deleteCharAt(0).deleteCharAt(sb.length() - 1);
        System.out.println(sb);
        sb.replace(0, 4, "[replaced]");
        System.out.println(sb + " idx " + sb.indexOf("null") + " " + sb.lastIndexOf("null") + " " + sb.charAt(1));
        sb.setCharAt(0, '{');
        sb.setLength(10);
        System.out.println(sb + "|" + sb.length());
        sb.setLength(12);
        System.out.println(sb.toString().replace('\0', '0') + "|" + sb.length());
        System.out.println(new StringBuilder("hello").reverse() + " " + new StringBuilder("a\uD83D\uDE00b").reverse().codePointAt(1) + " "
                + new StringBuilder("").reverse().length());
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 1000; i++) big.append(i % 10);
        System.out.println(big.length() + " " + big.substring(990) + " " + big.chars().sum());
        StringBuffer buf = new StringBuffer("buffer");
        buf.append(1).insert(0, '>').reverse();
        System.out.println(buf + " " + buf.length());
        StringBuilder u = new StringBuilder("ab");
        u.append("héllo").append('☃').insert(1, "日本");
        System.out.println(u + " " + u.length() + " " + u.reverse());
        System.out.println(new StringBuilder("abc").compareTo(new StringBuilder("abd")) + " " + "abc".contentEquals(new StringBuilder("abc")));
        try {
            new StringBuilder("abc").deleteCharAt(5);
        } catch (StringIndexOutOfBoundsException e) {
            System.out.println("SIOOBE " + e.getMessage());
        }
        try {
            new StringBuilder("abc").insert(4, "x");
        } catch (StringIndexOutOfBoundsException e) {
            System.out.println("SIOOBE " + e.getMessage());
        }
        try {
            new StringBuilder("abc").setLength(-1);
        } catch (StringIndexOutOfBoundsException e) {
            System.out.println("SIOOBE " + e.getMessage());
        }
        StringBuilder chain = new StringBuilder();
        for (int i = 0; i < 5; i++) chain.append(i).append(i < 4 ? "," : "");
        System.out.println(chain.insert(0, '[').append(']'));
    }
}
