package org.vheap.device.conformance;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A change the harness makes to a compiled class file before the program runs, so a program can meet a broken one:
 * {@code // @truncate-class Name BYTES} keeps only the first BYTES bytes, {@code // @patch-class Name OFFSET HEX}
 * overwrites the bytes from OFFSET with the hex digits' bytes ({@code Name} is a binary name, as for
 * {@code @delete-class}).
 */
public sealed interface ClassFileEdit {
    /** The binary name of the class whose class file changes. */
    String binaryName();

    /** The changed class file. */
    byte[] apply(byte[] classFile);

    /** Keeps the first {@code length} bytes. */
    record Truncate(String binaryName, int length) implements ClassFileEdit {
        public byte[] apply(byte[] classFile) {
            if (length >= classFile.length) {
                throw new IllegalArgumentException("@truncate-class " + binaryName + " " + length + ": the class file has only "
                        + classFile.length + " bytes");
            }
            return Arrays.copyOf(classFile, length);
        }
    }

    /** Overwrites the bytes from {@code offset}. */
    record Patch(String binaryName, int offset, String hex) implements ClassFileEdit {
        public byte[] apply(byte[] classFile) {
            byte[] bytes = HexFormat.of().parseHex(hex);
            if (offset + bytes.length > classFile.length) {
                throw new IllegalArgumentException("@patch-class " + binaryName + " " + offset + " " + hex + ": past the end of its "
                        + classFile.length + " bytes");
            }
            byte[] out = classFile.clone();
            System.arraycopy(bytes, 0, out, offset, bytes.length);
            return out;
        }
    }

    /** Parses the value of a {@code @truncate-class} or {@code @patch-class} marker. */
    static ClassFileEdit parse(String marker, String value) {
        String[] words = value.strip().split("\\s+");
        try {
            if (marker.equals("truncate-class") && words.length == 2) {
                return new Truncate(words[0], Integer.parseInt(words[1]));
            }
            if (marker.equals("patch-class") && words.length == 3) {
                HexFormat.of().parseHex(words[2]);
                return new Patch(words[0], Integer.parseInt(words[1]), words[2]);
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException("@" + marker + " wants " + (marker.equals("truncate-class") ? "NAME BYTES" : "NAME OFFSET HEX")
                + ", got: " + value);
    }
}
