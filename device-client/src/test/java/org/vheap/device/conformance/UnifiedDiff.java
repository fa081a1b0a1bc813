package org.vheap.device.conformance;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff in unified format ({@code --- a}, {@code +++ b}, {@code @@ -l,n +l,n @@} hunks with context), for
 * failure messages. Common prefix and suffix are stripped first; what remains is diffed by longest common
 * subsequence when small enough, else shown as one replaced block. A last line without a newline is marked as
 * diff does ({@code \ No newline at end of file}).
 */
public final class UnifiedDiff {
    private static final long LCS_LIMIT = 4_000_000;
    private static final int SHOW_LIMIT = 400;
    private static final String NO_NEWLINE = "\\ No newline at end of file";

    private UnifiedDiff() {
    }

    private record Line(String text, boolean newline) {
    }

    private record Edit(char op, Line line, int aLine, int bLine) {
    }

    /** The diff from {@code a} to {@code b}, or the empty string when they are equal. */
    public static String diff(String a, String b, String aName, String bName, int context) {
        if (a.equals(b)) {
            return "";
        }
        List<Line> as = lines(a), bs = lines(b);
        int prefix = 0;
        while (prefix < as.size() && prefix < bs.size() && as.get(prefix).equals(bs.get(prefix))) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < as.size() - prefix && suffix < bs.size() - prefix
                && as.get(as.size() - 1 - suffix).equals(bs.get(bs.size() - 1 - suffix))) {
            suffix++;
        }
        List<Edit> edits = new ArrayList<>();
        for (int i = 0; i < prefix; i++) {
            edits.add(new Edit(' ', as.get(i), i, i));
        }
        List<Line> am = as.subList(prefix, as.size() - suffix), bm = bs.subList(prefix, bs.size() - suffix);
        if ((long) am.size() * bm.size() <= LCS_LIMIT) {
            lcs(am, bm, prefix, edits);
        } else {
            for (int i = 0; i < am.size(); i++) {
                edits.add(new Edit('-', am.get(i), prefix + i, -1));
            }
            for (int j = 0; j < bm.size(); j++) {
                edits.add(new Edit('+', bm.get(j), -1, prefix + j));
            }
        }
        for (int k = 0; k < suffix; k++) {
            edits.add(new Edit(' ', as.get(as.size() - suffix + k), as.size() - suffix + k, bs.size() - suffix + k));
        }
        return render(edits, aName, bName, context);
    }

    private static List<Line> lines(String s) {
        List<Line> out = new ArrayList<>();
        int from = 0;
        while (from < s.length()) {
            int nl = s.indexOf('\n', from);
            if (nl < 0) {
                out.add(new Line(s.substring(from), false));
                break;
            }
            out.add(new Line(s.substring(from, nl), true));
            from = nl + 1;
        }
        return out;
    }

    private static void lcs(List<Line> a, List<Line> b, int offset, List<Edit> edits) {
        int n = a.size(), m = b.size();
        int[][] len = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                len[i][j] = a.get(i).equals(b.get(j)) ? len[i + 1][j + 1] + 1 : Math.max(len[i + 1][j], len[i][j + 1]);
            }
        }
        int i = 0, j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) {
                edits.add(new Edit(' ', a.get(i), offset + i, offset + j));
                i++;
                j++;
            } else if (i < n && (j == m || len[i + 1][j] >= len[i][j + 1])) {
                edits.add(new Edit('-', a.get(i), offset + i, -1));
                i++;
            } else {
                edits.add(new Edit('+', b.get(j), -1, offset + j));
                j++;
            }
        }
    }

    private static String render(List<Edit> edits, String aName, String bName, int context) {
        StringBuilder sb = new StringBuilder();
        sb.append("--- ").append(aName).append('\n').append("+++ ").append(bName).append('\n');
        int shown = 0;
        int k = 0;
        while (k < edits.size()) {
            if (edits.get(k).op == ' ') {
                k++;
                continue;
            }
            int start = Math.max(0, k - context);
            int end = k;
            int lastChange = k;
            while (end < edits.size()) {
                if (edits.get(end).op != ' ') {
                    lastChange = end;
                } else if (end - lastChange > 2 * context) {
                    break;
                }
                end++;
            }
            end = Math.min(edits.size(), lastChange + context + 1);
            int aStart = -1, bStart = -1, aCount = 0, bCount = 0;
            for (int e = start; e < end; e++) {
                Edit ed = edits.get(e);
                if (ed.op != '+') {
                    if (aStart < 0) {
                        aStart = ed.aLine;
                    }
                    aCount++;
                }
                if (ed.op != '-') {
                    if (bStart < 0) {
                        bStart = ed.bLine;
                    }
                    bCount++;
                }
            }
            sb.append("@@ -").append(aStart < 0 ? 0 : aStart + 1).append(',').append(aCount)
                    .append(" +").append(bStart < 0 ? 0 : bStart + 1).append(',').append(bCount).append(" @@\n");
            for (int e = start; e < end; e++) {
                if (shown++ >= SHOW_LIMIT) {
                    sb.append("... (diff truncated after ").append(SHOW_LIMIT).append(" lines)\n");
                    return sb.toString();
                }
                Edit ed = edits.get(e);
                sb.append(ed.op).append(ed.line.text).append('\n');
                if (!ed.line.newline) {
                    sb.append(NO_NEWLINE).append('\n');
                }
            }
            k = end;
        }
        return sb.toString();
    }
}
