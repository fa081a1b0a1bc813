// A main class whose class file is cut short: "Truncated class file", reported by the launcher (exit 1).
// @truncate-class R06TruncatedMainClass 100
// @exit 1
public class R06TruncatedMainClass {
    public static void main(String[] args) {
        System.out.println("never printed");
    }
}
