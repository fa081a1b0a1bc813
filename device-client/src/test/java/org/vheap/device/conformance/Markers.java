package org.vheap.device.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The markers of a conformance program: {@code // @name value} lines in its leading comment block (the lines before
 * the first line that is neither blank nor a {@code //} comment).
 *
 * <ul>
 *   <li>{@code // @args a b c} — program arguments, split on whitespace (several lines add up)</li>
 *   <li>{@code // @exit 3} — the expected exit code; documentation only, the harness compares with HotSpot</li>
 *   <li>{@code // @heap 64m} — the maximum heap: {@code -Xmx} for HotSpot, {@code maxHeapBytes} for the device</li>
 *   <li>{@code // @delete-class Foo} — delete {@code Foo.class} (binary name, {@code a.b.C$D}) after compiling</li>
 *   <li>{@code // @truncate-class Foo 100}, {@code // @patch-class Foo 0 CAFEBABF} — break {@code Foo.class} after
 *       compiling ({@link ClassFileEdit})</li>
 *   <li>{@code // @stdin text} — one line of standard input (each marker adds the text and a newline)</li>
 * </ul>
 *
 * @param args          program arguments
 * @param exit          the documented exit code, if any
 * @param heapBytes     the maximum heap, if any
 * @param deleteClasses binary names of classes whose class files are deleted after compiling
 * @param classEdits    changes to class files after compiling, in marker order
 * @param stdin         the standard input (empty when there is none)
 */
public record Markers(List<String> args, OptionalInt exit, OptionalLong heapBytes, List<String> deleteClasses,
                      List<ClassFileEdit> classEdits, String stdin) {

    public Markers {
        args = List.copyOf(args);
        deleteClasses = List.copyOf(deleteClasses);
        classEdits = List.copyOf(classEdits);
    }

    public static final Markers NONE = new Markers(List.of(), OptionalInt.empty(), OptionalLong.empty(), List.of(), List.of(), "");

    /** Parses the leading comment block of {@code source}; an unknown or malformed marker is an error. */
    public static Markers parse(String source) {
        List<String> args = new ArrayList<>();
        OptionalInt exit = OptionalInt.empty();
        OptionalLong heap = OptionalLong.empty();
        List<String> delete = new ArrayList<>();
        List<ClassFileEdit> edits = new ArrayList<>();
        StringBuilder stdin = new StringBuilder();
        for (String raw : source.split("\r?\n", -1)) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (!line.startsWith("//")) {
                break;
            }
            String comment = line.substring(2).strip();
            if (!comment.startsWith("@")) {
                continue;
            }
            int space = comment.indexOf(' ');
            String name = space < 0 ? comment.substring(1) : comment.substring(1, space);
            String value = space < 0 ? "" : comment.substring(space + 1);
            switch (name) {
                case "args" -> {
                    for (String a : value.strip().split("\\s+")) {
                        if (!a.isEmpty()) {
                            args.add(a);
                        }
                    }
                }
                case "exit" -> exit = OptionalInt.of(Integer.parseInt(value.strip()));
                case "heap" -> heap = OptionalLong.of(parseSize(value.strip()));
                case "delete-class" -> {
                    if (value.isBlank()) {
                        throw new IllegalArgumentException("@delete-class needs a class name");
                    }
                    delete.add(value.strip());
                }
                case "truncate-class", "patch-class" -> edits.add(ClassFileEdit.parse(name, value));
                // the rest of the line after "@stdin " verbatim: leading spaces of the text are kept
                case "stdin" -> stdin.append(raw.substring(raw.indexOf("@stdin") + "@stdin".length()).replaceFirst("^ ", "")).append('\n');
                default -> throw new IllegalArgumentException("unknown marker @" + name + " in line: " + raw);
            }
        }
        return new Markers(args, exit, heap, delete, edits, stdin.toString());
    }

    /** {@code 64m}, {@code 1g}, {@code 512k} or a byte count. */
    static long parseSize(String s) {
        String t = s.toLowerCase(Locale.ROOT);
        long unit = 1;
        char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        switch (last) {
            case 'k' -> unit = 1L << 10;
            case 'm' -> unit = 1L << 20;
            case 'g' -> unit = 1L << 30;
            default -> { }
        }
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
        try {
            return Math.multiplyExact(Long.parseLong(digits), unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad size '" + s + "' (use e.g. 64m, 1g, 512k)", e);
        }
    }

    /** The {@code -Xmx} option for HotSpot, if the program has a heap marker. */
    public Optional<String> xmx() {
        return heapBytes.isPresent() ? Optional.of("-Xmx" + heapBytes.getAsLong()) : Optional.empty();
    }
}
