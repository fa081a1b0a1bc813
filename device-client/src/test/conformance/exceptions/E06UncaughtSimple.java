// @exit 1
// An uncaught exception ends main: stdout flushed, HotSpot's "Exception in thread "main"" trace on stderr, exit code 1.
public class E06UncaughtSimple {
    static void check(int[] data, int i) {
        if (data[i] < 0) throw new IllegalArgumentException("negative value " + data[i] + " at " + i);
    }

    public static void main(String[] args) {
        int[] data = {3, 1, -4, 1};
        for (int i = 0; i < data.length; i++) {
            System.out.println("checking " + i);
            check(data, i);
        }
        System.out.println("not reached");
    }
}
