// @exit 42
// System.exit from a nested call several frames deep, inside synchronized and try/catch(Throwable).
public class X02ExitFromNestedCall {
    static void level(int n) {
        if (n == 0) {
            System.out.println("exiting at depth 0");
            System.exit(42);
        }
        synchronized (X02ExitFromNestedCall.class) {
            try {
                level(n - 1);
            } catch (Throwable t) {
                System.out.println("must not catch anything: " + t);
            }
        }
    }

    public static void main(String[] args) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutdown hook runs")));
        level(5);
        System.out.println("not reached");
    }
}
