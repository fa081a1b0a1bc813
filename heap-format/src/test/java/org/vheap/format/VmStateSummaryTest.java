package org.vheap.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VmStateSummaryTest {
    @Test
    void aDeviceStateIsSummarizedWithStacksTopFirst() {
        byte[] mainClass = "Main".getBytes();
        byte[] helper = "Helper".getBytes();
        VmStateImage s = new VmStateImage();
        s.preparer = 3;
        s.vmMillis = 2500;
        s.bytecodes = 123_456;
        s.collections = 4;
        s.top = 1 << 20;
        s.bytesInUse = 900_000;
        s.liveAfterLastCollection = 700_000;
        s.peakHeapBytes = 1 << 20;
        s.classes.add(new VmStateImage.ClassImage(1, "java/lang/Object", BlobHash.digest("Object".getBytes()).bytes(),
                "java.base", true, false, '\0', 16, 24, 2, 0));
        s.classes.add(new VmStateImage.ClassImage(2, "Main", BlobHash.digest(mainClass).bytes(), null, false, false,
                '\0', 32, 24, 1, 0));
        s.classes.add(new VmStateImage.ClassImage(3, "Main$$Lambda", BlobHash.digest("lambda".getBytes()).bytes(), null,
                false, true, '\0', 0, 0, 0, 0));
        s.classes.add(new VmStateImage.ClassImage(4, "[I", null, null, true, false, '\0', 40, 24, 2, 0));
        s.interned.put("hello", 48);
        s.monitors.add(new VmStateImage.MonitorImage(64, 1, 1, new int[0], new int[0]));
        s.monitors.add(new VmStateImage.MonitorImage(72, 0, 0, new int[0], new int[0]));
        s.threads.add(new VmStateImage.ThreadImage(1, "main", 80, 3, 0, 0, 0, 0, false, 0, 0, false, false, false, -1,
                new long[0], List.of(new VmStateImage.ActivationImage("Main", "main", "([Ljava/lang/String;)V", 7, 0, 0,
                        0, 0, false, null), new VmStateImage.ActivationImage("Main", "<clinit>", "()V", 2, 0, 0, 0, 0,
                        false, "Main"))));
        s.threads.add(new VmStateImage.ThreadImage(2, "worker", 88, 1, 0, 64, 0, 0, false, 0, 0, false, false, true, -1,
                new long[0], List.of()));
        s.attachments.put(ClassPathManifest.ATTACHMENT, new ClassPathManifest(Map.of("Main.class",
                BlobHash.digest(mainClass), "Helper.class", BlobHash.digest(helper)), List.of(), Map.of()).encode());

        VmStateSummary sum = VmStateSummary.of(s.encode());

        assertThat(sum.deviceState()).isTrue();
        assertThat(sum.preparer()).isEqualTo(3);
        assertThat(sum.bytecodes()).isEqualTo(123_456);
        assertThat(sum.allocatedBytes()).isEqualTo(1 << 20);
        assertThat(sum.classes()).isEqualTo(4);
        assertThat(sum.appClasses()).as("Main: its class file is the class path's").isEqualTo(1);
        assertThat(sum.hiddenClasses()).isEqualTo(1);
        assertThat(sum.initializedClasses()).isEqualTo(2);
        assertThat(sum.mirrors()).isEqualTo(3);
        assertThat(sum.internedStrings()).isEqualTo(1);
        assertThat(sum.monitorsInUse()).isEqualTo(1);
        assertThat(sum.systemBlobs()).as("three class files, and the class path's Helper").isEqualTo(4);
        assertThat(sum.threads()).extracting(VmStateSummary.ThreadSummary::state).containsExactly("TIMED_WAITING", "BLOCKED");
        assertThat(sum.threads().get(0).stack()).containsExactly(
                new VmStateSummary.Frame("Main", "<clinit>", "()V", -1, "Main"),
                new VmStateSummary.Frame("Main", "main", "([Ljava/lang/String;)V", -1, null));
        assertThat(sum.threads().get(1).daemon()).isTrue();
    }

    @Test
    void anotherClientsBytesSayNothingAndADamagedStateIsRefused() {
        assertThat(VmStateSummary.of(new byte[] {1, 2, 3}).deviceState()).isFalse();
        byte[] state = new VmStateImage().encode();
        assertThatThrownBy(() -> VmStateSummary.of(java.util.Arrays.copyOf(state, state.length - 2)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
