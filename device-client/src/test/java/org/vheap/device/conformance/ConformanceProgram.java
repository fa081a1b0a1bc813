package org.vheap.device.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One conformance program: a single Java source file {@code <area>/<Name>.java} whose class {@code Name} (in the
 * default package or the package it declares) has the {@code main} method.
 *
 * @param area      the directory it lives in: basics, objects, ...
 * @param name      the file name without {@code .java}
 * @param source    the source file
 * @param mainClass the binary name of the main class
 * @param markers   its markers
 */
public record ConformanceProgram(String area, String name, Path source, String mainClass, Markers markers) {
    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;");

    public static ConformanceProgram load(String area, Path source) {
        String file = source.getFileName().toString();
        if (!file.endsWith(".java")) {
            throw new IllegalArgumentException("not a Java source: " + source);
        }
        String name = file.substring(0, file.length() - ".java".length());
        String text;
        try {
            text = Files.readString(source, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher m = PACKAGE.matcher(text);
        String main = m.find() ? m.group(1) + "." + name : name;
        return new ConformanceProgram(area, name, source, main, Markers.parse(text));
    }

    /** {@code area/Name}, the program's identity in test names, reports and {@code -Dconformance.only}. */
    public String id() {
        return area + "/" + name;
    }

    @Override
    public String toString() {
        return id();
    }
}
