package org.vheap.device.store.flash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flash log keeps what was synced and never returns a torn record: a crash at every byte of a log, with and
 * without bytes that were never written behind the cut, and media that went bad.
 */
class FlashLogTest {
    private static final int BLOCK = 64;   // small blocks: most records cross one

    @Test
    void recordsOfEverySizeComeBackInOrderAcrossBlocks() throws IOException {
        for (int block : new int[] {BLOCK, 100, 128 << 10}) {
            FaultyFlashMedium medium = new FaultyFlashMedium();
            Written written = write(medium, block, new Random(block), 300);
            assertThat(readAll(medium, block)).as("block %d", block).containsExactlyElementsOf(written.records);
            assertThat(FlashLogReader.end(medium, block)).isEqualTo(medium.size());
        }
    }

    @Test
    void aCrashAtEveryByteLeavesExactlyTheRecordsThatEndedBeforeIt() throws IOException {
        FaultyFlashMedium medium = new FaultyFlashMedium();
        Written written = write(medium, BLOCK, new Random(1), 40);
        Random random = new Random(2);
        for (int cut = 0; cut <= medium.size(); cut++) {
            for (byte[] torn : List.of(new byte[0], new byte[23], randomBytes(random, 1 + random.nextInt(80)))) {
                FaultyFlashMedium after = medium.crash(cut, torn);
                List<byte[]> expected = written.endingBy(cut);
                assertThat(readAll(after, BLOCK)).as("cut at %d, %d torn bytes", cut, torn.length)
                        .containsExactlyElementsOf(expected);

                // the log ends after the last whole record; cut there, it goes on
                long end = FlashLogReader.end(after, BLOCK);
                assertThat(end).isEqualTo(expected.isEmpty() ? 0 : written.ends.get(expected.size() - 1));
                after.truncate(end);
                FlashLogWriter writer = new FlashLogWriter(after, BLOCK);
                byte[] next = randomBytes(random, random.nextInt(150));
                writer.append(next);
                List<byte[]> goesOn = new ArrayList<>(expected);
                goesOn.add(next);
                assertThat(readAll(after, BLOCK)).as("cut at %d, then one more", cut).containsExactlyElementsOf(goesOn);
            }
        }
    }

    @Test
    void whatWasSyncedSurvivesEveryCrash() throws IOException {
        Random random = new Random(3);
        for (int run = 0; run < 200; run++) {
            FaultyFlashMedium medium = new FaultyFlashMedium();
            FlashLogWriter writer = new FlashLogWriter(medium, BLOCK);
            List<byte[]> records = new ArrayList<>();
            int syncedRecords = 0;
            for (int i = 0; i < 20; i++) {
                byte[] r = randomBytes(random, random.nextInt(200));
                writer.append(r);
                records.add(r);
                if (random.nextInt(4) == 0) {
                    writer.sync();
                    syncedRecords = records.size();
                }
            }
            List<byte[]> recovered = readAll(medium.crash(random), BLOCK);
            assertThat(recovered.size()).as("run %d", run).isBetween(syncedRecords, records.size());
            assertThat(recovered).containsExactlyElementsOf(records.subList(0, recovered.size()));
        }
    }

    @Test
    void aBitGoneBadEndsTheLogBeforeItsRecord() throws IOException {
        FaultyFlashMedium medium = new FaultyFlashMedium();
        Written written = write(medium, BLOCK, new Random(4), 30);
        Random random = new Random(5);
        for (int i = 0; i < 300; i++) {
            int position = random.nextInt((int) medium.size());
            int bit = random.nextInt(8);
            medium.flip(position, bit);
            List<byte[]> read = readAll(medium, BLOCK);
            // the log ends right before the record holding the bad byte, unless the byte was a block's padding
            boolean padding = read.size() == written.records.size() && position % BLOCK > BLOCK - FlashLogFormat.HEADER;
            assertThat(padding || read.size() == written.endingBy(position).size())
                    .as("bit %d of byte %d: %d records read", bit, position, read.size()).isTrue();
            assertThat(read).containsExactlyElementsOf(written.records.subList(0, read.size()));
            medium.flip(position, bit);
        }
    }

    @Test
    void aFileKeepsItsRecordsAcrossReopening(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("log");
        List<byte[]> records;
        try (FileFlashMedium medium = new FileFlashMedium(file)) {
            records = write(medium, 4096, new Random(6), 50).records;
            medium.sync();
        }
        long whole = Files.size(file);
        Files.write(file, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);   // a torn tail
        try (FileFlashMedium medium = new FileFlashMedium(file)) {
            assertThat(FlashLogReader.end(medium, 4096)).isEqualTo(whole);
            medium.truncate(FlashLogReader.end(medium, 4096));
            assertThat(readAll(medium, 4096)).containsExactlyElementsOf(records);
        }
        assertThat(Files.size(file)).as("the torn tail is cut off").isEqualTo(whole);
    }

    @Test
    void aBlockTooSmallForARecordIsRefused() {
        assertThatThrownBy(() -> new FlashLogWriter(new FaultyFlashMedium(), 16))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a flash block must be at least 64 bytes, got 16");
    }

    /** Records written, and where each ended. */
    private record Written(List<byte[]> records, List<Long> ends) {
        List<byte[]> endingBy(long position) {
            int n = 0;
            while (n < ends.size() && ends.get(n) <= position) {
                n++;
            }
            return records.subList(0, n);
        }
    }

    private static Written write(FlashMedium medium, int block, Random random, int count) throws IOException {
        FlashLogWriter writer = new FlashLogWriter(medium, block);
        List<byte[]> records = new ArrayList<>();
        List<Long> ends = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] r = randomBytes(random, random.nextInt(4) == 0 ? 0 : random.nextInt(3 * block));
            writer.append(r);
            records.add(r);
            ends.add(writer.position());
            assertThat(medium.size()).isEqualTo(writer.position());
        }
        return new Written(records, ends);
    }

    private static List<byte[]> readAll(FlashMedium medium, int block) throws IOException {
        FlashLogReader reader = new FlashLogReader(medium, block);
        List<byte[]> out = new ArrayList<>();
        for (byte[] r = reader.next(); r != null; r = reader.next()) {
            out.add(r);
        }
        return out;
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
