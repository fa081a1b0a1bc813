// @args alpha 42 -7 hello-world
// @stdin first line
// @stdin 10 20 30
// @stdin   indented, with trailing spaces   
// @stdin last
// Program arguments and standard input: BufferedReader lines, then EOF; System.in.read after EOF returns -1.
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

public class S08ArgsAndStdin {
    public static void main(String[] args) throws IOException {
        System.out.println("args.length " + args.length);
        int sum = 0;
        for (int i = 0; i < args.length; i++) {
            System.out.println("arg[" + i + "] = " + args[i] + " (" + args[i].length() + " chars)");
            try {
                sum += Integer.parseInt(args[i]);
            } catch (NumberFormatException e) {
                System.out.println("  not a number: " + e.getMessage());
            }
        }
        System.out.println("sum of numeric args " + sum);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int n = 0;
        long total = 0;
        for (String line; (line = in.readLine()) != null; ) {
            n++;
            System.out.println("line " + n + ": [" + line + "] length " + line.length());
            for (String tok : line.strip().split("\\s+")) {
                if (tok.matches("-?\\d+")) total += Long.parseLong(tok);
            }
        }
        System.out.println(n + " lines, numbers add up to " + total);
        System.out.println("read after EOF: " + System.in.read());
    }
}
