// String.format / printf: %d %5d %-5s %x %08.3f %e %, %b %c %n %% %o %s with width/precision, %h, negative numbers.
public class S02Format {
    public static void main(String[] args) {
        System.out.println(String.format("[%d] [%5d] [%-5d] [%05d] [%+d] [%,d] [%(d]", 42, 42, 42, 42, 42, 1234567, -42));
        System.out.println(String.format("[%s] [%10s] [%-10s] [%.2s] [%S]", "hi", "right", "left", "truncate", "upper"));
        System.out.println(String.format("[%x] [%X] [%08x] [%#x] [%o] [%x]", 255, 255, 48879, 255, 8, -1));
        System.out.println(String.format("[%x] [%d] [%,d]", -1L, Long.MIN_VALUE, Long.MAX_VALUE));
        System.out.println(String.format("[%f] [%.0f] [%.1f] [%08.3f] [%-10.2f] [%,.2f] [%.3f]", Math.PI, 2.5, 0.05, Math.E, 1.005, 1234567.891, -0.0005));
        System.out.println(String.format("[%e] [%.2e] [%E] [%g] [%.3g] [%a]", 12345.6789, 0.000123, 1e100, 0.0001234, 123456.0, 1.0));
        System.out.println(String.format("[%f] [%e] [%f] [%.2f]", Double.NaN, Double.POSITIVE_INFINITY, -0.0, Double.NEGATIVE_INFINITY));
        System.out.println(String.format("[%b] [%b] [%b] [%B] [%c] [%c] [%C]", true, null, "x", false, 'z', 65, 'q'));
        System.out.println(String.format("100%% done%nnext line [%s] [%s]", null, java.util.List.of(1, 2)));
        System.out.println(String.format("[%h] [%h]", "hello", 17));
        System.out.println(String.format("%2$s %1$s %2$s %<s", "a", "b"));
        System.out.println(String.format("[%10.4f] [%-12e] [%+.2f] [% d]", 3.14159265, 0.5, 2.0, 5));
        System.out.println(String.format("[%s] [%s] [%.3s]", 1.0f, 100.0 / 3, true));
        System.out.println(String.format("[%d] [%d] [%d] [%x]", (byte) -1, (short) 300, 'c' + 0, (byte) -1));
        System.out.println(String.format("[%08.2f] [%.10f] [%.15f]", -3.5, 0.1, 0.1 + 0.2));
        System.out.printf("printf %s %d %.2f%n", "works", 7, 7.0 / 3);
        System.out.println(String.format("[%,d] [%,.3f] [%010d] [%-+8d|]", -9876543, 9876.54321, -123, 45));
        System.out.println(String.format("%s|%5s|%-5s|", "", "", "") + String.format("%.0e", 5.5) + " " + String.format("%.1f %.1f %.1f %.1f", 0.25, 0.35, 0.45, -0.25));
        try {
            String.format("%d", "not a number");
        } catch (java.util.IllegalFormatException e) {
            System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        try {
            String.format("%s %s", "only one");
        } catch (java.util.IllegalFormatException e) {
            System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        try {
            String.format("%q", 1);
        } catch (java.util.IllegalFormatException e) {
            System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        StringBuilder table = new StringBuilder();
        for (int i = 1; i <= 5; i++) table.append(String.format("%-3d|%6.2f|%5s|%n", i, Math.sqrt(i), "#".repeat(i)));
        System.out.print(table);
    }
}
