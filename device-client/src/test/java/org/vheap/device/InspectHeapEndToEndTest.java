package org.vheap.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.format.HeapObjects;
import org.vheap.proto.v1.ClassDiffRow;
import org.vheap.proto.v1.CollectHeapRequest;
import org.vheap.proto.v1.ClassHistogramRow;
import org.vheap.proto.v1.DiffQuery;
import org.vheap.proto.v1.FieldValue;
import org.vheap.proto.v1.HeapDiff;
import org.vheap.proto.v1.HeapInspection;
import org.vheap.proto.v1.HeapToolProgress;
import org.vheap.proto.v1.HeapVerdict;
import org.vheap.proto.v1.HistogramQuery;
import org.vheap.proto.v1.InspectHeapRequest;
import org.vheap.proto.v1.ObjectQuery;
import org.vheap.proto.v1.ObjectSummary;
import org.vheap.proto.v1.ObjectsQuery;
import org.vheap.proto.v1.PathQuery;
import org.vheap.proto.v1.PathStep;
import org.vheap.proto.v1.StringsQuery;
import org.vheap.server.testing.CliRun;
import org.vheap.server.testing.TestHeaps;

/**
 * {@code ./vheap inspect ... histogram | objects | object | path | strings} and their RPC on an app a device ran and
 * suspended: the server reads the checkpoint with no device and finds the objects the app made, where it made them.
 * (In this module because a real device writes the heap.)
 */
class InspectHeapEndToEndTest {
    @RegisterExtension
    static final TestStores.Server SERVER = new TestStores.Server();

    /**
     * 250 books on a static shelf, each with its title, year, loans and sequel; when a byte comes on its input, 50
     * more books, the first 10 taken off the shelf, and a reading thread started.
     */
    private static final String LIBRARY = """
            import java.util.*;
            public class Library {
                static final class Book {
                    final String title; final int year; Book sequel; long[] loans = new long[4];
                    Book(String title, int year) { this.title = title; this.year = year; }
                }
                static final List<Book> shelf = new ArrayList<>();
                static void shelve(int from, int to) {
                    for (int i = from; i < to; i++) {
                        Book b = new Book("book-" + i, 1900 + i);
                        if (i > 0) shelf.get(shelf.size() - 1).sequel = b;
                        shelf.add(b);
                    }
                }
                public static void main(String[] args) throws Exception {
                    shelve(0, 250);
                    System.out.println("shelved " + shelf.size());
                    while (System.in.available() == 0) { Thread.sleep(5); }
                    shelve(250, 300);
                    shelf.get(9).sequel = null;
                    shelf.subList(0, 10).clear();
                    Thread reader = new Thread(() -> { while (true) { try { Thread.sleep(5); } catch (InterruptedException e) { return; } } }, "reader");
                    reader.setDaemon(true);
                    reader.start();
                    System.out.println("reshelved " + shelf.size());
                    for (int round = 0; ; round++) { Thread.sleep(5); }
                }
            }
            """;

    private static String app;
    /** The checkpoint taken when the 250 books were shelved; the app's newest is after the reshelving. */
    private static long shelved;

    @BeforeAll
    static void aSuspendedLibrary() throws Exception {
        Path classes = Files.createTempDirectory("vheap-inspect-app");
        Files.writeString(classes.resolve("Library.java"), LIBRARY);
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-d", classes.toString(),
                classes.resolve("Library.java").toString())).isZero();
        app = TestHeaps.app("library");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        java.io.PipedOutputStream input = new java.io.PipedOutputStream();
        Device d = new Device(new DeviceConfig().app(app).deviceName("a").memoryBytes(2 << 20)
                .checkpointInterval(Duration.ZERO), SERVER.store(),
                new DeviceConsole(new java.io.PipedInputStream(input), ps, ps));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> d.run(List.of(classes), "Library", List.of()));
        awaitOutput(out, "shelved 250");
        long before = d.lastCheckpointId();
        d.checkpoint();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (d.lastCheckpointId() == before) {
            assertThat(System.nanoTime()).as("a checkpoint after shelving").isLessThan(deadline);
            Thread.sleep(5);
        }
        shelved = d.lastCheckpointId();
        input.write('!');
        input.flush();
        awaitOutput(out, "reshelved 290");
        d.suspend(Duration.ofSeconds(30));
        assertThat(run.get(1, TimeUnit.MINUTES)).isEqualTo(Device.SUSPENDED);
    }

    private static void awaitOutput(ByteArrayOutputStream out, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!out.toString(StandardCharsets.UTF_8).contains(text)) {
            assertThat(System.nanoTime()).as("the app's output: " + out).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    /** Asks the server one question; {@code progress} gets what it streamed before the answer. */
    private static HeapInspection ask(InspectHeapRequest.Builder question, List<HeapToolProgress> progress) {
        if (question.getApp().isEmpty()) {
            question.setApp(app);
        }
        return SERVER.admin(stub -> HeapToolCalls.answer(stub.inspectHeap(question.build()), r -> {
            if (!r.hasDone()) {
                progress.add(r.getProgress());
            }
            return r.hasDone() ? r.getDone() : null;
        }));
    }

    /** A question about the checkpoint taken when the 250 books were shelved. */
    private static InspectHeapRequest.Builder atShelved() {
        return InspectHeapRequest.newBuilder().setCheckpointId(shelved);
    }

    private static HeapInspection ask(InspectHeapRequest.Builder question) {
        return ask(question, new ArrayList<>());
    }

    private static String field(List<FieldValue> fields, String name) {
        return fields.stream().filter(f -> f.getName().equals(name)).findFirst().orElseThrow().getValue();
    }

    @Test
    void theHistogramCountsTheReachableObjectsOfEachClass() {
        HeapInspection h = ask(atShelved().setHistogram(HistogramQuery.getDefaultInstance()));
        ClassHistogramRow books = h.getHistogramList().stream().filter(r -> r.getClassName().equals("Library$Book"))
                .findFirst().orElseThrow();
        assertThat(books.getInstances()).isEqualTo(250);
        assertThat(h.getClasses()).isEqualTo(h.getHistogramCount()).isGreaterThan(50);
        assertThat(h.getHistogramList().stream().mapToLong(ClassHistogramRow::getInstances).sum()).isEqualTo(h.getObjects());
        assertThat(h.getHistogramList().stream().mapToLong(ClassHistogramRow::getBytes).sum()).isEqualTo(h.getLiveBytes());
        assertThat(h.getHistogramList()).extracting(ClassHistogramRow::getBytes).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(h.getBrokenReferences()).isZero();
        assertThat(h.getConservativeStacks()).isFalse();

        // the objects of the class: as many, as many bytes
        HeapInspection all = ask(atShelved().setObjects(ObjectsQuery.newBuilder()
                .setClassName("Library$Book").setLimit(10_000)));
        assertThat(all.getMatches()).isEqualTo(250);
        assertThat(all.getObjectsFoundList().stream().mapToLong(ObjectSummary::getBytes).sum()).isEqualTo(books.getBytes());
        assertThat(ask(atShelved().setHistogram(HistogramQuery.newBuilder().setTop(3)))
                .getHistogramCount()).isEqualTo(3);
    }

    /**
     * A book's retained bytes are its own, its loans array's, its title's and the title's bytes': the shelf's array
     * keeps every book alive (so no book dominates its sequel), and nothing else holds what a book holds.
     */
    @Test
    void retainedBytesComeFromTheDominatorTree() {
        HeapInspection h = ask(atShelved().setHistogram(HistogramQuery.newBuilder().setRetained(true)));
        ClassHistogramRow books = h.getHistogramList().stream().filter(r -> r.getClassName().equals("Library$Book"))
                .findFirst().orElseThrow();
        long address = ask(atShelved().setObjects(ObjectsQuery.newBuilder().setClassName("Library$Book").setLimit(1)))
                .getObjectsFound(0).getAddress();
        List<FieldValue> book = ask(atShelved().setObject(ObjectQuery.newBuilder().setAddress(address))).getObject().getFieldsList();
        long title = book.stream().filter(f -> f.getName().equals("title")).findFirst().orElseThrow().getAddress();
        long loans = book.stream().filter(f -> f.getName().equals("loans")).findFirst().orElseThrow().getAddress();
        long value = ask(atShelved().setObject(ObjectQuery.newBuilder().setAddress(title))).getObject().getFieldsList()
                .stream().filter(f -> f.getName().equals("value")).findFirst().orElseThrow().getAddress();
        long one = bytes(address) + bytes(loans) + bytes(title) + bytes(value);
        assertThat(books.getRetainedBytes()).isEqualTo(250 * one);
        assertThat(h.getHistogramList()).extracting(ClassHistogramRow::getRetainedBytes)
                .isSortedAccordingTo((a, b) -> Long.compare(b, a));
        // the class mirrors hold every static, the shelf and its books among them: they retain the most
        assertThat(h.getHistogram(0).getClassName()).isEqualTo("java.lang.Class");
        assertThat(h.getHistogram(0).getRetainedBytes()).isGreaterThan(books.getRetainedBytes());
    }

    private static long bytes(long address) {
        return ask(atShelved().setObject(ObjectQuery.newBuilder().setAddress(address))).getObject().getObject().getBytes();
    }

    @Test
    void anObjectIsReadByItsFieldsAndFoundFromItsRoot() {
        HeapInspection found = ask(atShelved().setStrings(StringsQuery.newBuilder().setRegex("^book-1[0-9]$")));
        assertThat(found.getObjectsFoundList()).extracting(ObjectSummary::getText)
                .containsExactlyInAnyOrder("book-10", "book-11", "book-12", "book-13", "book-14", "book-15", "book-16",
                        "book-17", "book-18", "book-19");
        long title = found.getObjectsFoundList().stream().filter(o -> o.getText().equals("book-17")).findFirst()
                .orElseThrow().getAddress();

        List<PathStep> path = ask(atShelved().setPath(PathQuery.newBuilder().setAddress(title))).getPathList();
        assertThat(path).extracting(PathStep::getVia).containsExactly("", "static shelf", "elementData", "[17]", "title");
        assertThat(path.get(0).getRootKind()).isEqualTo("class");
        assertThat(path.get(0).getRootHolder()).isEqualTo("Library");
        assertThat(path).extracting(PathStep::getClassName).containsExactly("java.lang.Class", "java.util.ArrayList",
                "java.lang.Object[]", "Library$Book", "java.lang.String");

        HeapInspection book = ask(atShelved().setObject(ObjectQuery.newBuilder().setAddress(path.get(3).getAddress())));
        assertThat(book.getObject().getReachable()).isTrue();
        assertThat(book.getObject().getObject().getClassName()).isEqualTo("Library$Book");
        List<FieldValue> fields = book.getObject().getFieldsList();
        assertThat(field(fields, "title")).isEqualTo(String.format("0x%x java.lang.String \"book-17\"", title));
        assertThat(field(fields, "year")).isEqualTo("1917");
        assertThat(field(fields, "loans")).endsWith("long[] length 4");
        assertThat(field(fields, "sequel")).endsWith("Library$Book");
        assertThat(fields).extracting(FieldValue::getName).containsExactlyInAnyOrder("title", "year", "sequel", "loans");

        List<HeapToolProgress> progress = new ArrayList<>();
        HeapInspection array = ask(atShelved().setObject(ObjectQuery.newBuilder()
                .setAddress(path.get(2).getAddress())), progress);
        assertThat(array.getObject().getObject().getArrayLength()).isGreaterThanOrEqualTo(250);
        assertThat(array.getObject().getFieldsList()).hasSize(16).first().extracting(FieldValue::getName).isEqualTo("[0]");
    }

    @Test
    void aQuestionThatCannotBeAnsweredSaysWhatToFix() {
        assertStatus(atShelved().setObjects(ObjectsQuery.newBuilder().setClassName("NoSuchThing")),
                Status.Code.NOT_FOUND, "has no class NoSuchThing");
        assertStatus(atShelved().setStrings(StringsQuery.newBuilder().setRegex("(")),
                Status.Code.INVALID_ARGUMENT, "not a regular expression");
        assertStatus(atShelved().setObject(ObjectQuery.newBuilder().setAddress(12)),
                Status.Code.INVALID_ARGUMENT, "is no object address");
        assertStatus(atShelved().setPath(PathQuery.newBuilder().setAddress(1L << 33)),
                Status.Code.NOT_FOUND, "no object starts at 0x200000000");
        assertStatus(atShelved(), Status.Code.INVALID_ARGUMENT, "say what to inspect");
        assertStatus(atShelved().setDiff(DiffQuery.getDefaultInstance()), Status.Code.INVALID_ARGUMENT,
                "a diff needs the older checkpoint's id");
        assertStatus(atShelved().setCheckpointId(Long.MAX_VALUE)
                .setHistogram(HistogramQuery.getDefaultInstance()), Status.Code.NOT_FOUND, "checkpoint");
    }

    private static void assertStatus(InspectHeapRequest.Builder question, Status.Code code, String message) {
        assertThatThrownBy(() -> ask(question)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).contains(message);
        });
    }

    @Test
    void theCommandLinePrintsTablesAndJson() {
        CliRun histogram = cli("histogram", "--top", "0");
        assertThat(histogram.exit()).as(histogram.err()).isZero();
        assertThat(histogram.out()).containsPattern("(?m)^ +250 +[0-9.]+ [KM]?i?B  Library\\$Book$")
                .contains("reachable objects");

        CliRun strings = cli("strings", "--grep", "^book-17$");
        assertThat(strings.exit()).as(strings.err()).isZero();
        assertThat(strings.out()).contains("java.lang.String  \"book-17\"").contains("1 strings matching ^book-17$");
        String address = strings.out().lines().filter(l -> l.contains("book-17")).findFirst().orElseThrow().split(" ")[0];

        CliRun path = cli("path", address);
        assertThat(path.out()).as(path.err()).startsWith("root: class Library\n")
                .contains(".static shelf -> ").contains(".[17] -> ").endsWith(".title -> " + address + " java.lang.String\n");

        CliRun objects = cli("objects", "--class", "Library$Book", "--limit", "2");
        assertThat(objects.out()).as(objects.err()).contains("250 objects of Library$Book (the first 2 shown");
        String book = objects.out().lines().skip(1).findFirst().orElseThrow().split(" ")[0];
        CliRun object = cli("object", book);
        assertThat(object.out()).as(object.err()).startsWith(book + " Library$Book, ").contains("  year = ")
                .contains("  title = 0x");

        CliRun retained = cli("histogram", "--top", "5", "--retained");
        assertThat(retained.out()).as(retained.err()).startsWith("     instances        bytes     retained  class\n");

        CliRun json = cli("histogram", "--top", "1", "--json");
        assertThat(json.out()).contains("\"histogram\": [").contains("\"liveBytes\": ");

        CliRun bad = cli("object", "12");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("'12' is no object address");
        CliRun unknown = cli("objects", "--class", "NoSuchThing");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err().strip()).startsWith("vheap inspect objects: NOT_FOUND: checkpoint ")
                .endsWith("has no class NoSuchThing (give its Java name, like java.util.HashMap or int[])");
    }

    @Test
    void aDiffShowsTheObjectsAddedAndRemovedPerClassTheLinesChangedAndTheThreadsBegun() {
        HeapInspection newest = ask(InspectHeapRequest.newBuilder().setHistogram(HistogramQuery.getDefaultInstance()));
        HeapInspection d = ask(InspectHeapRequest.newBuilder().setCheckpointId(newest.getCheckpoint().getCheckpointId())
                .setDiff(DiffQuery.newBuilder().setFromCheckpointId(shelved)));
        HeapDiff diff = d.getDiff();
        assertThat(diff.getFrom().getCheckpointId()).isEqualTo(shelved);
        ClassDiffRow books = diff.getClassesList().stream().filter(r -> r.getClassName().equals("Library$Book"))
                .findFirst().orElseThrow();
        assertThat(books.getInstancesAdded()).isEqualTo(50);
        assertThat(books.getInstancesRemoved()).isEqualTo(10);
        assertThat(books.getBytesAdded()).isEqualTo(5 * books.getBytesRemoved()).isPositive();
        assertThat(diff.getThreadsAddedList()).anyMatch(t -> t.endsWith(" 'reader'"));
        assertThat(diff.getThreadsRemovedList()).isEmpty();
        assertThat(diff.getLinesChanged() + diff.getLinesAdded()).isPositive();
        assertThat(diff.getClassesChanged()).isEqualTo(diff.getClassesCount());
        // the totals add up: the newer checkpoint's objects are the older's, plus those added, less those removed
        long added = diff.getClassesList().stream().mapToLong(ClassDiffRow::getInstancesAdded).sum();
        long removed = diff.getClassesList().stream().mapToLong(ClassDiffRow::getInstancesRemoved).sum();
        assertThat(diff.getFromObjects() + added - removed).isEqualTo(d.getObjects());

        CliRun cli = CliRun.of("inspect", "--app", app, "diff", "--from", Long.toString(shelved), "--top", "0",
                "--server", SERVER.target());
        assertThat(cli.exit()).as(cli.err()).isZero();
        assertThat(cli.out()).startsWith("from checkpoint " + shelved + " (").containsPattern("(?m)^ +50 +[0-9.]+ [KM]?i?B"
                + " +10 +[0-9.]+ [KM]?i?B  Library\\$Book$").contains(" 'reader' begun; none ended");
    }

    /**
     * A sound checkpoint verifies sound; a copy of it (exported and imported) damaged in PostgreSQL, a book's class id
     * zeroed and another line cut short, is named damaged: the references to the book, the short line.
     */
    @Test
    void verifyFindsASoundHeapSoundAndNamesTheDamageInABrokenOne() throws Exception {
        HeapVerdict sound = verify(app, shelved);
        assertThat(sound.getProblemsList()).isEmpty();
        assertThat(sound.getSound()).isTrue();
        assertThat(sound.getObjects()).isEqualTo(ask(atShelved().setHistogram(HistogramQuery.getDefaultInstance())).getObjects());
        CliRun ok = CliRun.of("verify", "--app", app, "--checkpoint", Long.toString(shelved), "--server", SERVER.target());
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).startsWith("app '" + app + "', checkpoint " + shelved + ": sound (");

        String copy = app + "-damaged";
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        io.grpc.ManagedChannel channel = io.grpc.ManagedChannelBuilder.forTarget(SERVER.target()).usePlaintext().build();
        try {
            org.vheap.client.HeapImageTransfer.export(channel, app, shelved, file, p -> { });
            org.vheap.client.HeapImageTransfer.importFile(channel, copy, false, new ByteArrayInputStream(file.toByteArray()),
                    p -> { });
        } finally {
            channel.shutdownNow();
        }
        long title = ask(atShelved().setStrings(StringsQuery.newBuilder().setRegex("^book-17$"))).getObjectsFound(0).getAddress();
        long book = ask(atShelved().setPath(PathQuery.newBuilder().setAddress(title))).getPath(3).getAddress();
        int lineSize = 4096;
        try (java.sql.Connection c = SERVER.dataSource().getConnection()) {
            long heap;
            try (var ps = c.prepareStatement("SELECT heap_id FROM heap_name WHERE app_name = ?")) {
                ps.setString(1, copy);
                try (var rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    heap = rs.getLong(1);
                }
            }
            try (var ps = c.prepareStatement("UPDATE line_version SET data = overlay(data placing '\\x00000000'::bytea"
                    + " from ? for 4) WHERE heap_id = ? AND line_id = ?")) {
                ps.setInt(1, (int) (book % lineSize) + 1);
                ps.setLong(2, heap);
                ps.setLong(3, book / lineSize);
                assertThat(ps.executeUpdate()).isPositive();
            }
            try (var ps = c.prepareStatement("UPDATE line_version SET data = substring(data from 1 for 100)"
                    + " WHERE heap_id = ? AND line_id = (SELECT max(line_id) FROM line_version WHERE heap_id = ?)")) {
                ps.setLong(1, heap);
                ps.setLong(2, heap);
                assertThat(ps.executeUpdate()).isPositive();
            }
        }
        HeapVerdict damaged = verify(copy, 0);
        assertThat(damaged.getSound()).isFalse();
        assertThat(damaged.getProblemsList()).extracting(p -> p.getKind() + ": " + p.getWhere() + ": " + p.getWhat())
                .contains(String.format("reference: %s java.lang.Object[][17]: names 0x%x, where no object starts",
                        HeapObjects.address(org.vheap.format.ObjectLayout.ref(ask(atShelved().setPath(PathQuery.newBuilder()
                                .setAddress(title))).getPath(2).getAddress())), book))
                .anyMatch(p -> p.matches("reference: 0x[0-9a-f]+ Library\\$Book\\.sequel: names 0x" + Long.toHexString(book)
                        + ", where no object starts"))
                .anyMatch(p -> p.matches("line: line [0-9]+: holds 100 bytes, not a line's 4096"));
        CliRun bad = CliRun.of("verify", "--app", copy, "--server", SERVER.target());
        assertThat(bad.exit()).as(bad.err()).isEqualTo(3);
        assertThat(bad.out()).contains(": DAMAGED, " + damaged.getProblemsFound() + " problems (")
                .contains("  reference: ").contains("  line: line ");
        // nor is it collected: what it would free might be what the damage hides
        assertThatThrownBy(() -> SERVER.admin(stub -> {
            stub.collectHeap(CollectHeapRequest.newBuilder().setApp(copy).build()).forEachRemaining(r -> { });
            return null;
        })).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getStatus().getDescription()).contains("cannot be collected: the heap is damaged (");
                });
        // an inspection of the damaged copy still answers, counting what it could not follow
        assertThat(ask(InspectHeapRequest.newBuilder().setApp(copy).setHistogram(HistogramQuery.getDefaultInstance()))
                .getBrokenReferences()).isPositive();
    }

    private static HeapVerdict verify(String app, long checkpoint) {
        return HeapToolCalls.verify(SERVER, app, checkpoint);
    }

    private static CliRun cli(String... question) {
        List<String> args = new ArrayList<>(List.of("inspect", "--app", app, "--checkpoint", Long.toString(shelved)));
        args.addAll(List.of(question));
        args.addAll(List.of("--server", SERVER.target()));
        return CliRun.of(args.toArray(String[]::new));
    }
}
