// Interfaces: default, static and private methods, diamond resolution with explicit X.super.m(), abstract classes.
import java.util.ArrayList;
import java.util.List;

public class O04Interfaces {
    interface Shape {
        double area();
        default String describe() { return name() + " with area " + fmt(area()); }
        default String name() { return "shape"; }
        static String fmt(double d) { return String.valueOf(Math.round(d * 100) / 100.0); }
        private String secret() { return "secret of " + name(); }
        default String reveal() { return secret(); }
    }

    interface Named { default String name() { return "named"; } }
    interface Labeled { default String name() { return "labeled"; } }

    interface Walker { default String move() { return "walk"; } }
    interface Swimmer { default String move() { return "swim"; } }
    interface FastWalker extends Walker { @Override default String move() { return "run"; } }

    static abstract class Base implements Shape {
        final String id;
        Base(String id) { this.id = id; }
        @Override public String name() { return getClass().getSimpleName() + "#" + id; }
        abstract int sides();
        public String toString() { return describe() + ", sides=" + sides(); }
    }

    static final class Square extends Base {
        final double s;
        Square(double s) { super("sq"); this.s = s; }
        public double area() { return s * s; }
        int sides() { return 4; }
    }

    static final class Circle extends Base {
        final double r;
        Circle(double r) { super("c"); this.r = r; }
        public double area() { return Math.PI * r * r; }
        int sides() { return 0; }
        @Override public String describe() { return "round " + super.describe(); }
    }

    static class Both implements Named, Labeled, Shape {
        public String name() { return Named.super.name() + "+" + Labeled.super.name(); }
        public double area() { return 1; }
    }

    static class Duck implements Walker, Swimmer {
        public String move() { return Walker.super.move() + "&" + Swimmer.super.move(); }
    }

    static class Runner implements FastWalker, Walker { }

    public static void main(String[] args) {
        List<Shape> shapes = new ArrayList<>();
        shapes.add(new Square(3));
        shapes.add(new Circle(1.5));
        shapes.add(new Both());
        shapes.add(() -> 2.5);
        shapes.add(new Shape() {
            public double area() { return 7; }
            public String name() { return "anon"; }
        });
        for (Shape s : shapes) {
            System.out.println(s.describe() + " / " + s.reveal());
        }
        System.out.println(shapes.get(0) + " ; " + shapes.get(1));
        System.out.println(new Duck().move() + " " + new Runner().move());
        Shape[] arr = new Shape[2];
        arr[0] = shapes.get(0);
        Object o = arr;
        System.out.println((o instanceof Shape[]) + " " + (o instanceof Object[]) + " " + arr.getClass().getSimpleName());
        System.out.println(Shape.fmt(10.0 / 3));
        Comparable<String> cmp = "b"::compareTo;
        System.out.println(cmp.compareTo("a") + " " + cmp.compareTo("c"));
        System.out.println(Shape.class.isInterface() + " " + Base.class.isInterface() + " " + java.lang.reflect.Modifier.isAbstract(Base.class.getModifiers()));
    }
}
