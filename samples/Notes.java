import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;

/**
 * A notes list driven by commands on standard input, one per line:
 * {@code add <text>}, {@code list}, {@code del <n>} (1-based), {@code help}, {@code quit}. End of input quits too.
 */
public class Notes {
    record Note(int id, String text) { }

    public static void main(String[] args) throws IOException {
        List<Note> notes = new ArrayList<>();
        int nextId = 1;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        System.out.println("notes: add <text> | list | del <n> | help | quit");
        for (String line; (line = in.readLine()) != null; ) {
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String cmd = line.split("\\s+", 2)[0];
            String rest = line.length() > cmd.length() ? line.substring(cmd.length()).strip() : "";
            switch (cmd) {
                case "add" -> {
                    if (rest.isEmpty()) {
                        System.out.println("usage: add <text>");
                    } else {
                        notes.add(new Note(nextId++, rest));
                        System.out.println("added #" + notes.size());
                    }
                }
                case "list" -> {
                    if (notes.isEmpty()) {
                        System.out.println("(no notes)");
                    }
                    for (int i = 0; i < notes.size(); i++) {
                        System.out.println((i + 1) + ". " + notes.get(i).text());
                    }
                }
                case "del" -> {
                    try {
                        int n = Integer.parseInt(rest);
                        Note removed = notes.remove(n - 1);
                        System.out.println("deleted: " + removed.text());
                    } catch (NumberFormatException e) {
                        System.out.println("usage: del <n>");
                    } catch (IndexOutOfBoundsException e) {
                        System.out.println("no note " + rest + " (there are " + notes.size() + ")");
                    }
                }
                case "help" -> System.out.println("add <text> | list | del <n> | help | quit");
                case "quit" -> {
                    System.out.println("bye (" + notes.size() + " notes)");
                    return;
                }
                default -> System.out.println("unknown command: " + cmd);
            }
        }
        System.out.println("bye (" + notes.size() + " notes, end of input)");
    }
}
