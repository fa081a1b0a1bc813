package org.vheap.server.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * A long action the console started (a migration, an export, an import, a collection) and what it has said so far:
 * progress events, each with the lines and bytes moved until then, and last its outcome: done, or failed with the
 * server's message. Pages read it; {@code /jobs/ID/events} streams it to the browser as server-sent events.
 * Thread-safe: the job's thread adds, request threads read and wait.
 */
final class ConsoleJob {
    /** One thing the job said. {@code kind}: progress, done or failed. */
    record Event(int seq, String kind, String text, long lines, long bytes) {
        String json() {
            return "{\"seq\":" + seq + ",\"kind\":" + Html.json(kind) + ",\"text\":" + Html.json(text)
                    + ",\"lines\":" + lines + ",\"bytes\":" + bytes + "}";
        }

        boolean last() {
            return !kind.equals("progress");
        }
    }

    final String id;
    final String title;
    /** The page the job's page links back to. */
    final String returnTo;
    /** The name its file is downloaded under (an export's); null: the job makes no file to download. */
    final String fileName;
    private final List<Event> events = new ArrayList<>();
    private Path file;          // a file of the job's: an export's heap image, an import's upload
    private boolean forgotten;  // no page shows it any more: its file is deleted, now or when attached

    ConsoleJob(String id, String title, String returnTo, String fileName) {
        this.id = id;
        this.title = title;
        this.returnTo = returnTo;
        this.fileName = fileName;
    }

    synchronized void progress(String text, long lines, long bytes) {
        add("progress", text, lines, bytes);
    }

    synchronized void done(String text, long lines, long bytes) {
        add("done", text, lines, bytes);
    }

    synchronized void failed(String text) {
        Event before = events.isEmpty() ? null : events.get(events.size() - 1);
        add("failed", text, before == null ? 0 : before.lines(), before == null ? 0 : before.bytes());
    }

    private void add(String kind, String text, long lines, long bytes) {
        if (finished()) {
            throw new IllegalStateException("job " + id + " has ended");
        }
        events.add(new Event(events.size(), kind, text, lines, bytes));
        notifyAll();
    }

    synchronized boolean finished() {
        return !events.isEmpty() && events.get(events.size() - 1).last();
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** The events from {@code from} on, waiting up to {@code millis} for one when there are none yet. */
    synchronized List<Event> eventsFrom(int from, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (events.size() <= from && !finished()) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return List.of();
            }
            wait(left);
        }
        return from >= events.size() ? List.of() : List.copyOf(events.subList(from, events.size()));
    }

    /** Gives the job {@code file}, deleted with the job (at once when the job is forgotten already). */
    synchronized void attach(Path file) {
        this.file = file;
        if (forgotten) {
            deleteFile();
        }
    }

    /** The file to download: an export's, once it is done (never a failed job's part of one); else null. */
    synchronized Path download() {
        return fileName != null && file != null && !events.isEmpty() && events.get(events.size() - 1).kind().equals("done")
                ? file : null;
    }

    /** No page shows it any more: its file goes. */
    synchronized void forget() {
        forgotten = true;
        deleteFile();
    }

    /** Deletes its file, if any (a failed export's part, a finished import's upload, a forgotten job's). */
    synchronized void deleteFile() {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LoggerFactory.getLogger(ConsoleJob.class).warn("could not delete {}: {}", file, e.toString());
            }
            file = null;
        }
    }
}
