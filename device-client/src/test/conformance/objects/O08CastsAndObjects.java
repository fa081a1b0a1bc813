// instanceof/checkcast incl. ClassCastException messages, arrays of interfaces, equals/hashCode overrides,
// Object methods without identity hashes.
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

public class O08CastsAndObjects {
    interface Pet { String name(); }
    static class Cat implements Pet, Cloneable {
        final String name; int lives = 9;
        Cat(String name) { this.name = name; }
        public String name() { return name; }
        @Override public boolean equals(Object o) { return o instanceof Cat c && c.name.equals(name); }
        @Override public int hashCode() { return name.hashCode(); }
        @Override public String toString() { return "Cat(" + name + "," + lives + ")"; }
        @Override protected Cat clone() throws CloneNotSupportedException { return (Cat) super.clone(); }
    }
    static class Fish implements Pet { public String name() { return "fish"; } }
    static class NoClone { @Override protected Object clone() throws CloneNotSupportedException { return super.clone(); } }

    public static void main(String[] args) throws Exception {
        Object[] things = {"str", 1, 2L, 3.0, new Cat("tom"), new Fish(), new int[0], new String[0], null, 'c', new Pet[0]};
        for (Object o : things) {
            System.out.println((o == null ? "null" : o.getClass().getSimpleName()) + ": String=" + (o instanceof String)
                    + " Number=" + (o instanceof Number) + " Pet=" + (o instanceof Pet) + " Object[]=" + (o instanceof Object[])
                    + " Comparable=" + (o instanceof Comparable));
        }
        Object[] casts = {1, "s", new Fish(), new int[1], new Cat[1], 'x'};
        for (Object o : casts) {
            try {
                String s = (String) o;
                System.out.println("ok " + s);
            } catch (ClassCastException e) {
                System.out.println("CCE " + e.getMessage());
            }
        }
        try {
            Pet p = (Pet) (Object) Integer.valueOf(5);
            System.out.println(p);
        } catch (ClassCastException e) {
            System.out.println("CCE " + e.getMessage());
        }
        try {
            Object arr = new Object[]{new Cat("a")};
            Cat[] cats = (Cat[]) arr;
            System.out.println(cats.length);
        } catch (ClassCastException e) {
            System.out.println("CCE " + e.getMessage());
        }
        try {
            Object n = Integer.valueOf(3);
            Long l = (Long) n;
            System.out.println(l);
        } catch (ClassCastException e) {
            System.out.println("CCE " + e.getMessage());
        }
        Pet[] pets = {new Cat("felix"), new Fish(), new Cat("tom")};
        for (Pet p : pets) System.out.print(p.name() + " ");
        System.out.println();
        Object petsObj = pets;
        System.out.println("Pet[] is Object[]: " + (petsObj instanceof Object[]) + ", Cat[] cast ok: " + (new Cat[0] instanceof Pet[]));
        Cat a = new Cat("tom"), b = new Cat("tom");
        System.out.println("equals " + a.equals(b) + " == " + (a == b) + " hash " + (a.hashCode() == b.hashCode()) + " " + a.hashCode());
        Map<Cat, Integer> m = new HashMap<>();
        m.put(a, 1);
        m.put(b, 2);
        System.out.println("map " + m + " size " + m.size());
        Cat c = a.clone();
        c.lives = 8;
        System.out.println("clone " + c + " orig " + a + " same=" + (c == a) + " equals=" + c.equals(a));
        try {
            new NoClone().clone();
        } catch (CloneNotSupportedException e) {
            System.out.println("CNSE " + e.getMessage());
        }
        System.out.println(Objects.equals(null, null) + " " + Objects.hashCode(null) + " " + Objects.hash(1, "a", null) + " " + Objects.toString(null, "dflt"));
        System.out.println("str hash " + "hello".hashCode() + " " + Integer.valueOf(77).hashCode() + " " + Long.valueOf(1L << 40).hashCode()
                + " " + Double.valueOf(1.5).hashCode() + " " + Boolean.TRUE.hashCode() + " " + Character.valueOf('a').hashCode());
        System.out.println(new Object().equals(null) + " " + Object.class.getName() + " " + int[].class.getName() + " " + String[][].class.getName()
                + " " + Cat[].class.getName() + " " + int.class.getName() + " " + Cat[].class.getComponentType().getSimpleName());
    }
}
