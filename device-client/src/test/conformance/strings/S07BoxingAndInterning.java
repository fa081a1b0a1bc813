// Autoboxing, the Integer/Long/Short/Byte/Character caches (== on 127 vs 128), unboxing NPE, string interning.
import java.util.ArrayList;
import java.util.List;

public class S07BoxingAndInterning {
    static int sum(List<Integer> xs) { int s = 0; for (int x : xs) s += x; return s; }

    public static void main(String[] args) {
        Integer a = 127, b = 127, c = 128, d = 128, e = -128, f = -128, g = -129, h = -129;
        System.out.println((a == b) + " " + (c == d) + " " + c.equals(d) + " " + (e == f) + " " + (g == h) + " " + (c.intValue() == d));
        Long la = 127L, lb = 127L, lc = 128L, ld = 128L;
        System.out.println((la == lb) + " " + (lc == ld) + " " + la.equals(127) + " " + la.equals(127L));
        Character ca = 'a', cb = 'a', cc = '\u0200', cd = '\u0200';
        System.out.println((ca == cb) + " " + (cc == cd));
        Short sa = 100, sb = 100; Byte ba = -5, bb = -5; Boolean t1 = true, t2 = Boolean.valueOf("TRUE");
        System.out.println((sa == sb) + " " + (ba == bb) + " " + (t1 == t2) + " " + (Integer.valueOf(1000) == Integer.valueOf(1000)));
        Double da = 1.0, db = 1.0;
        System.out.println("double boxes same: " + (da == db) + " equal " + da.equals(db));
        List<Integer> xs = new ArrayList<>();
        for (int i = 0; i < 300; i += 50) xs.add(i);
        System.out.println(xs + " sum " + sum(xs) + " idx " + xs.indexOf(200) + " contains " + xs.contains(250));
        xs.remove(Integer.valueOf(100));
        xs.remove(0);
        System.out.println("after removes " + xs);
        Integer n = null;
        try {
            int x = n;
            System.out.println(x);
        } catch (NullPointerException ex) {
            System.out.println("unboxing null: NPE");
        }
        Integer counter = 0;
        for (int i = 0; i < 5; i++) counter++;
        System.out.println("counter " + counter);
        Object o = 42;
        long widened = (Integer) o;
        System.out.println(o.getClass().getSimpleName() + " " + widened + " " + ((Object) 'x').getClass().getSimpleName() + " " + ((Object) 1.5f).getClass().getSimpleName());
        Integer big1 = 1000, big2 = 1000;
        System.out.println("compare boxes " + (big1 <= big2 && big1 >= big2 && big1 != big2));
        String s1 = "hello", s2 = "hello", s3 = new String("hello"), s4 = s3.intern(), s5 = "hel" + "lo";
        String part = "hel";
        String s6 = part + "lo";
        System.out.println((s1 == s2) + " " + (s1 == s3) + " " + (s1 == s4) + " " + (s1 == s5) + " " + (s1 == s6) + " " + (s1 == s6.intern()) + " " + s1.equals(s3));
        String dyn = new StringBuilder("uniq").append("ue-string-42").toString();
        System.out.println((dyn.intern() == dyn) + " " + (dyn.intern() == "unique-string-42"));
        System.out.println((String.valueOf(5) == String.valueOf(5)) + " " + ("" + 5 == "5") + " " + (Integer.toString(5).intern() == "5"));
        System.out.println(Integer.valueOf(5).hashCode() + " " + Character.valueOf('a').compareTo('b') + " " + Boolean.valueOf(false).compareTo(true));
    }
}
