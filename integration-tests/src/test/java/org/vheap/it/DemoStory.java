package org.vheap.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The story {@code ./vheap demo} tells, checked from its standard output: a server listening, two devices attached,
 * the counter's 1..40 printed by device-a and then, after one migration through a checkpoint, by device-b, each
 * number once; the checkpoints listed; nothing the demo started left running. Used for the plain demo (the
 * README's quick start, {@link ReadmeQuickStartTest}) and the secure one ({@link LauncherEndToEndTest}).
 */
final class DemoStory {
    private DemoStory() {
    }

    /** Fails, with the whole output, unless {@code out} tells the demo's story to its end. */
    static void assertTold(String out) {
        assertThat(out)
                .contains("listening on 127.0.0.1:")
                .contains("   [device-a] vheap: device device-a attached to 127.0.0.1:")
                .contains("   [device-b] vheap: device device-b attached to 127.0.0.1:")
                .contains("   [device-a] 1\n")
                .contains("   [device-b] vheap: device device-b: app demo-counter exit 0")
                .contains("together 1..40 with no gap or repeat")
                .contains("   ID  PARENT  TIME")
                .contains("both devices stopped")
                .contains("demo finished");
        assertThat(Pattern.compile("migrated 'demo-counter' from device-a to device-b through checkpoint \\d+ "
                + "\\(suspend \\d+ ms, resume \\d+ ms\\)").matcher(out).find()).as(out).isTrue();

        // what the devices printed, read independently of the demo's own check: 1..40, a's then b's, each once
        List<String> numbers = new ArrayList<>();
        List<String> devices = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^   \\[(device-[ab])\\] (\\d+)$").matcher(out);
        while (m.find()) {
            devices.add(m.group(1));
            numbers.add(m.group(2));
        }
        assertThat(numbers).as(out).isEqualTo(IntStream.rangeClosed(1, 40).mapToObj(Integer::toString).toList());
        int switchAt = devices.indexOf("device-b");
        assertThat(switchAt).as(out).isPositive();
        assertThat(devices.subList(0, switchAt)).containsOnly("device-a");
        assertThat(devices.subList(switchAt, devices.size())).containsOnly("device-b");

        // nothing the demo started outlives it
        Matcher port = Pattern.compile("listening on (127\\.0\\.0\\.1:\\d+)").matcher(out);
        assertThat(port.find()).isTrue();
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(port.group(1))))
                .as("processes still attached to the demo's server").isEmpty();
    }
}
