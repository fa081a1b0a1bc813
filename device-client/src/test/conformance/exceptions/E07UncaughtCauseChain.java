// @exit 1
// An uncaught exception with a cause chain and suppressed exceptions: "Caused by:", "Suppressed:" and "... n more".
public class E07UncaughtCauseChain {
    static class Repository {
        String load(int id) {
            try {
                return parse("record-" + id);
            } catch (NumberFormatException e) {
                throw new IllegalStateException("cannot load " + id, e);
            }
        }
        String parse(String s) {
            return String.valueOf(Integer.parseInt(s.substring(s.indexOf('-') + 1) + "x"));
        }
    }

    static class Service {
        final Repository repo = new Repository();
        String get(int id) {
            try {
                return repo.load(id);
            } catch (RuntimeException e) {
                RuntimeException wrapped = new RuntimeException("service error", e);
                wrapped.addSuppressed(new Exception("cleanup also failed"));
                throw wrapped;
            }
        }
    }

    public static void main(String[] args) {
        System.out.println("start");
        System.err.println("about to fail");
        new Service().get(7);
    }
}
