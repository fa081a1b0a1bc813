// try/catch/finally ordering: return in finally overriding, nested, rethrow, finally after break/continue,
// multi-catch, exception from catch, finally modifying returned value.
public class E01TryCatchFinally {
    static StringBuilder log = new StringBuilder();

    @SuppressWarnings("finally")
    static int returnInFinally() {
        try {
            log.append("try ");
            throw new RuntimeException("lost");
        } finally {
            log.append("finally ");
            return 2;
        }
    }

    static int finallyDoesNotChangeReturned() {
        int x = 1;
        try {
            return x;
        } finally {
            x = 99;
            log.append("x=" + x + " ");
        }
    }

    static String nested(int mode) {
        StringBuilder sb = new StringBuilder();
        try {
            sb.append("outer-try ");
            try {
                sb.append("inner-try ");
                if (mode == 1) throw new IllegalStateException("ise");
                if (mode == 2) throw new IllegalArgumentException("iae");
                if (mode == 3) return sb.append("inner-return ").toString();
            } catch (IllegalStateException e) {
                sb.append("inner-catch(").append(e.getMessage()).append(") ");
                throw new RuntimeException("wrapped", e);
            } finally {
                sb.append("inner-finally ");
            }
            sb.append("after-inner ");
        } catch (RuntimeException e) {
            sb.append("outer-catch(").append(e.getMessage()).append(e.getCause() != null ? " cause=" + e.getCause().getMessage() : "").append(") ");
        } finally {
            sb.append("outer-finally");
        }
        return sb.toString();
    }

    static void loops() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            try {
                if (i == 1) continue;
                if (i == 3) break;
                sb.append("body").append(i).append(' ');
            } finally {
                sb.append("fin").append(i).append(' ');
            }
        }
        System.out.println(sb);
    }

    static void multi(int k) {
        try {
            switch (k) {
                case 0: throw new NumberFormatException("nfe");
                case 1: throw new ArrayIndexOutOfBoundsException("aioobe");
                case 2: throw new UnsupportedOperationException("uoe");
                default: System.out.println("no throw");
            }
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            System.out.println("multi caught " + e.getClass().getSimpleName() + " " + e.getMessage());
        } catch (RuntimeException e) {
            System.out.println("runtime caught " + e);
        }
    }

    static void rethrow() throws Exception {
        try {
            throw new java.io.IOException("io");
        } catch (Exception e) {
            System.out.println("rethrowing " + e);
            throw e;
        }
    }

    public static void main(String[] args) {
        System.out.println(returnInFinally() + " " + log);
        log.setLength(0);
        System.out.println(finallyDoesNotChangeReturned() + " " + log);
        for (int m = 0; m <= 3; m++) {
            try {
                System.out.println(m + ": " + nested(m));
            } catch (RuntimeException e) {
                System.out.println(m + ": escaped " + e);
            }
        }
        loops();
        for (int k = 0; k < 4; k++) multi(k);
        try {
            rethrow();
        } catch (Exception e) {
            System.out.println("caught rethrown " + e.getClass().getName() + " " + e.getMessage());
        }
        try {
            try {
                throw new Error("first");
            } finally {
                System.out.println("finally runs for Error");
            }
        } catch (Error e) {
            System.out.println("caught " + e);
        }
        try {
            try {
                throw new RuntimeException("original");
            } catch (RuntimeException e) {
                throw new IllegalStateException("from catch");
            } finally {
                System.out.println("finally after catch threw");
            }
        } catch (IllegalStateException e) {
            System.out.println("outer got " + e.getMessage() + " cause=" + e.getCause());
        }
        try {
            throw null;
        } catch (NullPointerException e) {
            System.out.println("throw null -> NPE");
        }
        int depth = 0;
        try {
            depth = recurseThrow(0);
        } catch (IllegalStateException e) {
            System.out.println("deep " + e.getMessage() + " frames>=" + (e.getStackTrace().length >= 50));
        }
        System.out.println("depth var " + depth);
    }

    static int recurseThrow(int n) {
        if (n == 50) throw new IllegalStateException("at " + n);
        try {
            return recurseThrow(n + 1);
        } finally {
            if (n % 10 == 0) System.out.println("unwinding " + n);
        }
    }
}
