// NullPointerException messages (JEP 358 helpful NPEs) for fields, methods, arrays, unboxing, synchronized, throw.
public class E10NullPointerMessages {
    static class Node { Node next; int value; String name; int[] data; Node(int v) { value = v; } }
    static Node staticNode;

    interface Attempt { void run() throws Throwable; }

    static void attempt(String label, Attempt a) {
        try {
            a.run();
            System.out.println(label + ": no exception");
        } catch (NullPointerException e) {
            System.out.println(label + ": " + e.getMessage());
        } catch (Throwable t) {
            System.out.println(label + ": other " + t);
        }
    }

    static String name(Node n) { return n.name; }

    public static void main(String[] args) {
        Node head = new Node(1);
        head.next = new Node(2);
        attempt("field read", () -> System.out.println(head.next.next.value));
        attempt("field write", () -> head.next.next.value = 3);
        attempt("method call", () -> System.out.println(head.next.name.length()));
        attempt("static field", () -> System.out.println(staticNode.value));
        attempt("array load", () -> System.out.println(head.data[0]));
        attempt("array store", () -> head.data[0] = 1);
        attempt("array length", () -> System.out.println(head.data.length));
        attempt("unboxing", () -> { Integer i = null; int x = i; System.out.println(x); });
        attempt("synchronized", () -> { synchronized (staticNode) { System.out.println("in"); } });
        attempt("throw null", () -> { RuntimeException r = null; throw r; });
        attempt("method result", () -> System.out.println(name(head).trim()));
        attempt("explicit", () -> { throw new NullPointerException("explicit message"); });
        attempt("explicit no message", () -> { throw new NullPointerException(); });
        attempt("requireNonNull", () -> java.util.Objects.requireNonNull(null, "must not be null"));
        attempt("string switch", () -> { String s = null; switch (s) { case "a": break; default: break; } });
        attempt("library", () -> "abc".compareTo(null));
        Node local = null;
        try {
            System.out.println(local.value);
        } catch (NullPointerException e) {
            System.out.println("local: " + e.getMessage());
        }
    }
}
