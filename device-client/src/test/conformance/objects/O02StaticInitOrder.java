// Class initialization order: superclass first, triggers (static field, static method, new), not for constants,
// interfaces are not initialized by implementing classes, nor by constant access.
public class O02StaticInitOrder {
    static StringBuilder log = new StringBuilder();

    static void log(String s) { System.out.println("  init: " + s); }

    static class Base {
        static { log("Base static block"); }
        static int baseField = value("Base.baseField");
        Base() { log("Base()"); }
    }

    static class Derived extends Base {
        static int derivedField = value("Derived.derivedField");
        static final int CONSTANT = 42;
        static final String SCONST = "const";
        static final Integer NOT_CONSTANT = value("Derived.NOT_CONSTANT");
        static { log("Derived static block"); }
        Derived() { log("Derived()"); }
        static void touch() { log("Derived.touch()"); }
    }

    interface Iface {
        int I = value("Iface.I");
        default void hello() { log("Iface.hello"); }
    }

    interface Plain {
        int P = value("Plain.P");
        static void s() { log("Plain.s()"); }
    }

    static class Impl implements Iface, Plain {
        static { log("Impl static block"); }
    }

    static class Holder {
        static { log("Holder static block"); }
        static final Holder INSTANCE = new Holder();
        static int counter = 5;
        Holder() { counter++; log("Holder() counter=" + counter); }
    }

    static class Sub2 extends Base {
        static { log("Sub2 static block"); }
        static int own = 1;
    }

    static int value(String s) {
        log(s);
        return s.length();
    }

    public static void main(String[] args) {
        System.out.println("1: constant");
        System.out.println(Derived.CONSTANT + " " + Derived.SCONST);
        System.out.println("2: Sub2 inherited static field via subclass");
        System.out.println(Sub2.baseField);
        System.out.println("3: derived static method");
        Derived.touch();
        System.out.println("4: new Derived");
        new Derived();
        System.out.println("5: non-constant final");
        System.out.println(Derived.NOT_CONSTANT);
        System.out.println("6: new Impl");
        Impl impl = new Impl();
        System.out.println("7: default method call");
        impl.hello();
        System.out.println("8: interface field");
        System.out.println(Iface.I);
        System.out.println("9: static interface method");
        Plain.s();
        System.out.println("10: holder");
        System.out.println(Holder.counter);
        System.out.println("11: Sub2 own field");
        System.out.println(Sub2.own);
        System.out.println("12: array of uninitialized class");
        Object[] arr = new Unused[3];
        System.out.println(arr.length);
        System.out.println("13: class literal");
        Class<?> c = Unused.class;
        System.out.println(c.getSimpleName());
        System.out.println("14: Class.forName");
        try {
            Class.forName("O02StaticInitOrder$Unused");
        } catch (ClassNotFoundException e) {
            System.out.println("CNFE " + e.getMessage());
        }
    }

    static class Unused {
        static { log("Unused static block"); }
    }
}
