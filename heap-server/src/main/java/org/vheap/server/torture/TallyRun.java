package org.vheap.server.torture;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one device's run of the {@link TallyApp} printed, checked against the run before it: where it started (the
 * checkpoint it resumed from says {@code committed N} first), the last count and the last commit it printed, how many
 * commits it printed, and what was wrong, if anything.
 *
 * <p>The rules: counts go on by one; a commit names the count just before it; the app's own check never fails
 * ({@code CORRUPT}); and a resumed run starts from a checkpoint at or after the last commit the killed runs printed
 * (one it committed without living to print it is newer still, up to its last count). A start before that checkpoint
 * is a <b>lost</b> checkpoint; anything else broken is <b>torn</b>.
 *
 * @param firstCommitted the count of the first commit it printed (where a resumed run started); -1: none
 * @param lastCount      the last count it printed; the previous run's when it printed none
 * @param lastCommitted  the count of the last commit it printed; the previous run's when it printed none
 * @param commits        the commits it printed, the resumed checkpoint's own line not counted
 * @param problem        what was wrong ({@code lost ...} or {@code torn ...}); {@code null}: nothing
 * @param problemLine    the index of the line that showed it; -1 without a problem
 */
record TallyRun(long firstCommitted, long lastCount, long lastCommitted, long commits, String problem, int problemLine) {
    private static final Pattern LINE = Pattern.compile("^(count|committed) (\\d+)");

    /** Did the run break a rule because a committed checkpoint was not there to resume from? */
    boolean lost() {
        return problem != null && problem.startsWith("lost");
    }

    /**
     * Reads the lines of a run that followed runs whose last printed commit and count were {@code committedBefore} and
     * {@code countedBefore} (0 and 0: it is the first).
     */
    static TallyRun of(List<String> lines, long committedBefore, long countedBefore) {
        Reader r = new Reader(committedBefore, countedBefore);
        for (int at = 0; at < lines.size(); at++) {
            r.line(lines.get(at), at);
        }
        return new TallyRun(r.first, r.lastCount, r.lastCommitted, r.commits, r.problem, r.problemLine);
    }

    /** The reading of one run's lines, line by line. */
    private static final class Reader {
        private final long committedBefore;
        private final long countedBefore;
        private long first = -1;
        private long lastCount;
        private long lastCommitted;
        private long expect = -1;
        private long commits;
        private String problem;
        private int problemLine = -1;

        Reader(long committedBefore, long countedBefore) {
            this.committedBefore = committedBefore;
            this.countedBefore = countedBefore;
            this.lastCount = countedBefore;
            this.lastCommitted = committedBefore;
        }

        private boolean resumed() {
            return committedBefore != 0 || countedBefore != 0;
        }

        /** Keeps the first problem only: what follows one may follow from it. */
        private void fail(String what, int at) {
            if (problem == null) {
                problem = what;
                problemLine = at;
            }
        }

        void line(String line, int at) {
            if (line.startsWith("CORRUPT")) {
                fail("torn: the app found its heap inconsistent (" + line + ")", at);
                return;
            }
            Matcher m = LINE.matcher(line);
            if (!m.find()) {
                return;
            }
            long i = Long.parseLong(m.group(2));
            if (m.group(1).equals("count")) {
                if (expect >= 0 && i != expect) {
                    fail("torn: count " + i + " after " + (expect - 1), at);
                } else if (expect < 0 && resumed()) {
                    fail("torn: a resumed run counted (" + i + ") before saying where it resumed", at);
                }
                expect = i + 1;
                lastCount = i;
                return;
            }
            if (first >= 0 || !resumed()) {
                if (first >= 0 && i != lastCount) {
                    fail("torn: committed " + i + " after count " + lastCount, at);
                }
                commits++;
            }
            if (first < 0) {
                first = i;
                expect = i + 1;
                if (resumed() && i < committedBefore) {
                    fail("lost: resumed from the checkpoint of count " + i + ", but the checkpoint of count "
                            + committedBefore + " was reported committed", at);
                } else if (resumed() && i > countedBefore) {
                    fail("torn: resumed from count " + i + ", which no run reached (" + countedBefore + ")", at);
                }
            }
            lastCommitted = i;
        }
    }
}
