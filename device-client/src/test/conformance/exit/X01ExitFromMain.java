// @exit 3
// System.exit(3) from main: output written before is flushed, finally blocks do not run, later code does not run.
public class X01ExitFromMain {
    public static void main(String[] args) {
        System.out.println("before exit");
        System.out.print("no newline at the end");
        try {
            System.exit(3);
        } finally {
            System.out.println("finally must not run");
        }
    }
}
