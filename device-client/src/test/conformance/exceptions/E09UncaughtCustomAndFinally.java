// @exit 1
// An uncaught checked custom exception thrown through finally blocks (which run and print) out of main.
public class E09UncaughtCustomAndFinally {
    static class ValidationException extends Exception {
        ValidationException(String m) { super(m); }
        @Override public String toString() { return "Validation[" + getMessage() + "]"; }
    }

    static void validate(String s) throws ValidationException {
        try {
            if (s.isEmpty()) throw new ValidationException("empty input");
            System.out.println("valid: " + s);
        } finally {
            System.out.println("validated " + (s.isEmpty() ? "<empty>" : s));
        }
    }

    public static void main(String[] args) throws Exception {
        try {
            for (String s : new String[]{"one", "two", ""}) validate(s);
        } finally {
            System.out.println("main finally");
            System.out.flush();
        }
    }
}
