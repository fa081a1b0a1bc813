// @heap 64m
// OutOfMemoryError caught while allocating arrays in a loop and keeping them live; after dropping them the program
// allocates normally again. The output does not depend on exactly when the error happens.
import java.util.ArrayList;
import java.util.List;

public class R04OutOfMemory {
    public static void main(String[] args) {
        List<long[]> hog = new ArrayList<>();
        boolean caught = false;
        try {
            for (int i = 0; i < 100_000; i++) hog.add(new long[128 * 1024]);
        } catch (OutOfMemoryError e) {
            caught = true;
        }
        int held = hog.size();
        hog = null;
        System.out.println(caught ? "caught OOME" : "no OOME");
        System.out.println("held more than 10 MiB before failing: " + (held * 1L * 128 * 1024 * 8 > (10L << 20)));
        System.out.println("held less than 64 MiB: " + (held * 1L * 128 * 1024 * 8 <= (64L << 20)));
        long[] again = new long[1 << 20];
        again[again.length - 1] = 7;
        System.out.println("allocated again " + again[again.length - 1]);
        try {
            int[] huge = new int[Integer.MAX_VALUE - 8];
            System.out.println(huge.length);
        } catch (OutOfMemoryError e) {
            System.out.println("huge array: caught OOME");
        }
        StringBuilder sb = new StringBuilder();
        String chunk = "0123456789abcdef".repeat(1 << 16);
        try {
            while (true) sb.append(chunk);
        } catch (OutOfMemoryError e) {
            sb = null;
            System.out.println("StringBuilder growth: caught OOME");
        }
        System.out.println("end");
    }
}
