package org.vheap.device.vm.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.vheap.device.vm.JavaError;

/** The class file checks before a class is defined, with HotSpot's messages (the conformance suite compares them too). */
class ClassFileBoundsTest {
    private static byte[] aClassFile() throws IOException {
        try (InputStream in = ClassFileBoundsTest.class.getResourceAsStream("ClassFileBoundsTest.class")) {
            return in.readAllBytes();
        }
    }

    private static final String NAME = "org/vheap/device/vm/loader/ClassFileBoundsTest";

    @Test
    void aWholeClassFilePasses() throws IOException {
        assertThatCode(() -> ClassFileBounds.check(NAME, aClassFile())).doesNotThrowAnyException();
    }

    @Test
    void everyShorterPrefixIsATruncatedClassFile() throws IOException {
        byte[] file = aClassFile();
        for (int length = 0; length < file.length; length++) {
            byte[] prefix = Arrays.copyOf(file, length);
            assertThatThrownBy(() -> ClassFileBounds.check(NAME, prefix)).isInstanceOf(JavaError.class)
                    .hasMessage("Truncated class file")
                    .satisfies(e -> assertThat(((JavaError) e).className()).isEqualTo("java/lang/ClassFormatError"));
        }
    }

    @Test
    void aByteMoreIsExtraBytes() throws IOException {
        byte[] file = Arrays.copyOf(aClassFile(), aClassFile().length + 1);
        assertThatThrownBy(() -> ClassFileBounds.check(NAME, file)).hasMessage("Extra bytes at the end of class file " + NAME);
    }

    @Test
    void badMagicIsReportedAsAnUnsignedNumber() throws IOException {
        byte[] file = aClassFile();
        file[3] = (byte) 0xBF;
        assertThatThrownBy(() -> ClassFileBounds.check(NAME, file)).hasMessage("Incompatible magic value 3405691583 in class file " + NAME);
    }

    @Test
    void unknownConstantTag() throws IOException {
        byte[] file = aClassFile();
        file[10] = 2; // the first constant pool entry's tag (after magic, versions, constant_pool_count)
        assertThatThrownBy(() -> ClassFileBounds.check(NAME, file)).hasMessage("Unknown constant tag 2 in class file " + NAME);
    }

    @Test
    void aNewerVersionIsUnsupported() throws IOException {
        byte[] file = aClassFile();
        file[6] = 0;
        file[7] = (byte) (ClassFileBounds.MAX_MAJOR_VERSION + 1);
        assertThatThrownBy(() -> ClassFileBounds.check(NAME, file)).isInstanceOf(JavaError.class)
                .satisfies(e -> assertThat(((JavaError) e).className()).isEqualTo("java/lang/UnsupportedClassVersionError"))
                .hasMessageContaining("class file version " + (ClassFileBounds.MAX_MAJOR_VERSION + 1) + ".0");
    }
}
