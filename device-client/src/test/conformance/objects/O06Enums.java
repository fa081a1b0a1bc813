// Enums: values, valueOf, ordinal, compareTo, fields, constructors, constant-specific bodies, abstract methods,
// switch, EnumMap, EnumSet, valueOf failure message.
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;

public class O06Enums {
    enum Planet {
        MERCURY(3.303e+23, 2.4397e6), VENUS(4.869e+24, 6.0518e6), EARTH(5.976e+24, 6.37814e6), MARS(6.421e+23, 3.3972e6);
        static final double G = 6.67300E-11;
        private final double mass, radius;
        Planet(double mass, double radius) { this.mass = mass; this.radius = radius; }
        double surfaceGravity() { return G * mass / (radius * radius); }
    }

    enum Op {
        PLUS("+") { int apply(int a, int b) { return a + b; } },
        MINUS("-") { int apply(int a, int b) { return a - b; } },
        TIMES("*") {
            int apply(int a, int b) { return a * b; }
            @Override public String toString() { return "times!"; }
        };
        final String sym;
        Op(String sym) { this.sym = sym; }
        abstract int apply(int a, int b);
    }

    enum Day { MON, TUE, WED, THU, FRI, SAT, SUN;
        boolean weekend() { return this == SAT || this == SUN; }
    }

    interface HasCode { int code(); }
    enum Status implements HasCode {
        OK { public int code() { return 200; } }, NOT_FOUND { public int code() { return 404; } };
        static { System.out.println("Status initialized with " + values().length + " values"); }
    }

    public static void main(String[] args) {
        for (Planet p : Planet.values()) {
            System.out.printf("%s %d %.4f%n", p, p.ordinal(), p.surfaceGravity());
        }
        System.out.println(Planet.valueOf("EARTH").compareTo(Planet.MERCURY) + " " + Planet.MARS.name() + " " + Planet.EARTH.getDeclaringClass().getSimpleName());
        for (Op op : Op.values()) {
            System.out.println(op + " " + op.name() + " " + op.sym + " " + op.apply(6, 3) + " class=" + (op.getClass() == Op.class)
                    + " declaring=" + op.getDeclaringClass().getSimpleName());
        }
        try {
            Op.valueOf("DIVIDE");
        } catch (IllegalArgumentException e) {
            System.out.println("IAE: " + e.getMessage());
        }
        try {
            Enum.valueOf(Day.class, "mon");
        } catch (IllegalArgumentException e) {
            System.out.println("IAE: " + e.getMessage());
        }
        EnumSet<Day> weekend = EnumSet.noneOf(Day.class);
        for (Day d : Day.values()) if (d.weekend()) weekend.add(d);
        System.out.println(weekend + " " + EnumSet.complementOf(weekend) + " " + EnumSet.range(Day.TUE, Day.THU) + " " + EnumSet.allOf(Day.class).size());
        EnumMap<Day, Integer> hours = new EnumMap<>(Day.class);
        hours.put(Day.FRI, 6);
        hours.put(Day.MON, 8);
        hours.put(Day.WED, 7);
        for (Map.Entry<Day, Integer> e : hours.entrySet()) System.out.println(e.getKey() + "=" + e.getValue());
        System.out.println(hours + " containsKey(SUN)=" + hours.containsKey(Day.SUN));
        int total = 0;
        for (Day d : Day.values()) {
            switch (d) {
                case SAT, SUN -> total += 0;
                case FRI -> total += 6;
                default -> total += 8;
            }
        }
        System.out.println("total " + total);
        System.out.println("before Status");
        System.out.println(Status.NOT_FOUND.code() + " " + Status.valueOf("OK").code());
        System.out.println(Day.MON.equals(Day.MON) + " " + (Day.valueOf("TUE") == Day.TUE) + " " + Day.SUN.hashCode() * 0);
    }
}
