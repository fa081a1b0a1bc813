// @exit 1
// @delete-class Gone
// An uncaught NoClassDefFoundError for a missing class ends the program (exit code 1) with
// "Caused by: java.lang.ClassNotFoundException" in the trace.
public class R02MissingClassUncaught {
    static int compute() {
        return new Gone().value() * 2;
    }

    public static void main(String[] args) {
        System.out.println("computing");
        System.out.println(compute());
    }
}

class Gone {
    int value() { return 21; }
}
