// Instance initialization: field initializers and init blocks in textual order, constructor chaining,
// a virtual call from a super constructor seeing default field values.
public class O03InstanceInitOrder {
    static int seq;

    static int next(String what) {
        seq++;
        System.out.println(seq + " " + what);
        return seq;
    }

    static class A {
        int a1 = next("A.a1");
        { next("A block 1"); }
        int a2;
        A() { this(0); next("A()"); }
        A(int x) { next("A(int) " + x); a2 = next("A.a2 in ctor"); show(); }
        { next("A block 2"); }
        void show() { next("A.show"); }
    }

    static class B extends A {
        int b1 = next("B.b1");
        String s = "set";
        final int fin;
        { next("B block, s=" + s); }
        B() { super(); fin = next("B.fin"); next("B() b1=" + b1); }
        B(String label) { this(); next("B(String) " + label); }
        @Override void show() { next("B.show b1=" + b1 + " s=" + s + " fin=" + fin); }
    }

    static class C extends B {
        C() { super("from C"); next("C()"); }
        { next("C block"); }
    }

    public static void main(String[] args) {
        System.out.println("--- new A()");
        new A();
        System.out.println("--- new B()");
        new B();
        System.out.println("--- new C()");
        C c = new C();
        System.out.println("--- fields " + c.a1 + " " + c.a2 + " " + c.b1 + " " + c.fin + " " + c.s);
    }
}
