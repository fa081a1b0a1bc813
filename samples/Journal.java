import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Appends a numbered entry to journal.txt every pause, then reads the file back. On a device the file lives in the
 * app's own file system, in its heap: migrated mid-run, the app ends on another device with every entry, the ones
 * written before the move included (and the host's directory never sees the file). On HotSpot it is written in the
 * current directory. Arguments: [N] [pauseMillis] (100, 100 ms).
 */
public class Journal {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        long pause = args.length > 1 ? Long.parseLong(args[1]) : 100;
        Path journal = Path.of("journal.txt");
        Files.deleteIfExists(journal);
        for (int i = 1; i <= n; i++) {
            Files.writeString(journal, "entry " + i + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            System.out.println("wrote entry " + i);
            if (i < n) {
                Thread.sleep(pause);
            }
        }
        List<String> lines = Files.readAllLines(journal);
        boolean inOrder = true;
        for (int i = 0; i < lines.size(); i++) {
            inOrder &= lines.get(i).equals("entry " + (i + 1));
        }
        System.out.println("journal.txt holds " + lines.size() + " entries, in order: " + inOrder);
    }
}
