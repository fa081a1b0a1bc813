// Custom exception hierarchy, checked/unchecked, causes, getCause chains, toString/getMessage/getLocalizedMessage,
// initCause, fillInStackTrace-free exceptions, printStackTrace of caught exceptions with "Caused by:" to stderr and stdout.
public class E02CustomExceptions {
    static class AppException extends Exception {
        final int code;
        AppException(String msg, int code) { super(msg); this.code = code; }
        AppException(String msg, Throwable cause) { super(msg, cause); this.code = -1; }
    }
    static class NotFound extends AppException {
        NotFound(String what) { super(what + " not found", 404); }
    }
    static class Quiet extends RuntimeException {
        Quiet(String m) { super(m, null, false, false); }
    }
    static class CustomMessage extends RuntimeException {
        @Override public String getMessage() { return "computed message"; }
    }

    static void find(String key) throws NotFound {
        if (!key.equals("a")) throw new NotFound(key);
    }

    static void service(String key) throws AppException {
        try {
            find(key);
        } catch (NotFound e) {
            throw new AppException("service failed for " + key, e);
        }
    }

    static void level3() { throw new IllegalStateException("bottom"); }
    static void level2() { try { level3(); } catch (IllegalStateException e) { throw new RuntimeException("middle", e); } }
    static void level1() { try { level2(); } catch (RuntimeException e) { throw new UnsupportedOperationException("top", e); } }

    public static void main(String[] args) {
        try {
            service("a");
            System.out.println("found a");
            service("b");
        } catch (NotFound e) {
            System.out.println("unexpected");
        } catch (AppException e) {
            System.out.println(e + " | code " + e.code + " | cause " + e.getCause() + " | code " + ((AppException) e.getCause()).code);
            System.out.println(e.getLocalizedMessage() + " | " + (e.getCause() instanceof NotFound) + " | " + (e.getCause().getCause() == null));
        }
        Quiet q = new Quiet("no trace");
        System.out.println(q + " trace length " + q.getStackTrace().length);
        System.out.println(new CustomMessage() + " / " + new RuntimeException() + " / " + new RuntimeException((String) null) + " / " + new Exception(new Error("inner")));
        Throwable t = new Throwable("plain");
        RuntimeException r = new RuntimeException("later");
        r.initCause(t);
        System.out.println(r.getCause().getMessage());
        try {
            r.initCause(new Error());
        } catch (IllegalStateException e) {
            System.out.println("initCause twice: " + e.getMessage());
        }
        try {
            level1();
        } catch (RuntimeException e) {
            Throwable c = e;
            while (c != null) {
                StackTraceElement top = c.getStackTrace()[0];
                System.out.println("chain: " + c.getClass().getSimpleName() + " " + c.getMessage() + " at " + top.getMethodName() + ":" + top.getLineNumber());
                c = c.getCause();
            }
            e.printStackTrace();
            e.printStackTrace(System.out);
        }
        try {
            service("zzz");
        } catch (AppException e) {
            e.printStackTrace(System.out);
        }
        System.out.println("done");
    }
}
