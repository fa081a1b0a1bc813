package org.vheap.device.vm.heap;

import org.vheap.format.ObjectLayout;

import java.util.Arrays;

/**
 * The young lines of the user heap: the lines the nursery's promotions filled since the last young collection, and
 * those that survived one, collected alone ({@link Collector#collectYoung}) while they are still in device memory, so
 * a structure that outgrew the nursery and died soon after (binary-trees' trees) is freed from its frames, dropped
 * without a write, rather than written to the store when the frames are needed and freed only by the next full
 * collection.
 *
 * <p>Which lines: a promotion that starts a line the allocator found wholly free (a run of free lines, or a new line at
 * the bump pointer) makes it young, and every object placed in a young line is young; an object placed in a line
 * with old objects (a free chunk) is old. So a young line holds only young objects. Objects do not move: a line ages
 * instead ({@link #NEW}, then {@link #SURVIVOR} if a young collection finds something live in it, then old at the
 * next one), so what was being built when a young collection ran gets one more chance to die young. A line a young
 * collection frees whole is old (free) again, and the promotions that follow fill it first: its frame is still
 * there, zeroed.
 *
 * <p>The remembered set: slots in old lines that name objects in young ones, recorded by the {@link WriteBarrier}, by
 * the minor collection for what it promotes into old lines, and by a young collection for the survivors it tenures
 * that name objects still young. A young collection's roots are the VM's, these slots and the nursery; references to
 * old lines are not followed, so it reads the young lines' live objects and the lines of its remembered slots. It is
 * conservative: a young object that only dead old objects name lives until a full collection, which makes every line
 * old.
 *
 * <p>Bookkeeping is host-side, a byte per line: a resumed heap starts with none young. Contract: only the VM's
 * interpreter thread uses it. Off until {@link #enable}d: no line is ever young and the barrier records nothing.
 */
public final class YoungLines {
    /** A line's age: old (or free). */
    static final byte OLD = 0;
    /** Filled by promotions since the last young collection. */
    static final byte NEW = 1;
    /** Held something live at the last young collection: old at the next. */
    static final byte SURVIVOR = 2;

    private final int lineShift;
    private byte[] ages = new byte[0];
    /** How many bytes allocated in young lines make a young collection due (0: off). */
    private long budget;
    private long allocatedSince;
    /** Bytes in use in young lines: survivors of the last young collection, and allocations since. */
    private long inUse;
    private final SlotSet remembered = new SlotSet();
    /** The last young collection freed at least half of what it collected. */
    private boolean mostlyGarbage;
    /** While young collections find most of what they collect alive: the due ones to skip before the next, and left. */
    private int skipRun;
    private int skipsLeft;
    /** The last young collection freed at least as many lines as it faulted in. */
    private boolean worthIt = true;
    /** The lines the last young collection freed whole, ascending: promotions refill them from {@code freedNext} on. */
    private long[] freedLines = new long[64];
    private int freedCount;
    private int freedNext;

    YoungLines(long lineSize) {
        this.lineShift = Long.numberOfTrailingZeros(lineSize);
    }

    /** Turns young collections on: one is due each time {@code budget} bytes were allocated in young lines. */
    void enable(long budget) {
        if (budget <= 0) {
            throw new IllegalArgumentException("the young lines' budget is a positive number of bytes, got " + budget);
        }
        this.budget = budget;
    }

    public boolean enabled() {
        return budget != 0;
    }

    /** Whether a young collection is due: the budget was allocated in young lines since the last one. */
    public boolean due() {
        return budget != 0 && allocatedSince >= budget;
    }

    /**
     * Whether a paged heap holds back cleaning line {@code line} ({@link HeapMemory#holdBackFlushing}): a young line,
     * while young collections free most of what they collect and more lines than they read.
     */
    public boolean holdsBack(long line) {
        return worthIt && mostlyGarbage && line < ages.length && ages[(int) line] != OLD;
    }

    byte age(long line) {
        return line < ages.length ? ages[(int) line] : OLD;
    }

    boolean isYoungAddress(long address) {
        long line = address >>> lineShift;
        return line < ages.length && ages[(int) line] != OLD;
    }

    /** Whether the user-heap object {@code ref} lies in a young line. */
    boolean isYoung(int ref) {
        return ref > 0 && isYoungAddress(ObjectLayout.address(ref));
    }

    /** The barrier's part here: user-heap slot {@code slot} now holds {@code ref}. */
    void note(long slot, int ref) {
        if (crossesInto(slot, ref)) {
            remembered.add(slot);
        }
    }

    /** Whether user-heap slot {@code slot} holding {@code ref} must be remembered: an old line naming a young one. */
    boolean crossesInto(long slot, int ref) {
        return isYoung(ref) && !isYoungAddress(slot);
    }

    /**
     * The allocator placed {@code bytes} at {@code at}; {@code promotion} with {@code freshLine}: a promotion started a
     * line that held nothing, which becomes young.
     */
    void allocated(long at, long bytes, boolean promotion, boolean freshLine) {
        if (budget == 0) {
            return;
        }
        long line = at >>> lineShift;
        if (promotion && freshLine) {
            if (line >= ages.length) {
                ages = Arrays.copyOf(ages, (int) Math.max(line + 1, ages.length * 2L));
            }
            ages[(int) line] = NEW;
        }
        if (age(line) != OLD) {
            inUse += bytes;
            allocatedSince += bytes;
        }
    }

    /** Lines that may hold young objects are below this one. */
    long endLine() {
        return ages.length;
    }

    /**
     * A young collection aged line {@code line} to {@code age}; {@code freed}: it found the line free whole, which the
     * promotions that follow refill first ({@link #nextFreedLine}).
     */
    void setAge(long line, byte age, boolean freed) {
        ages[(int) line] = age;
        if (freed) {
            if (freedCount == freedLines.length) {
                freedLines = Arrays.copyOf(freedLines, freedCount * 2);
            }
            freedLines[freedCount++] = line;
        }
    }

    /** The next line the last young collection freed whole, lowest first (it may have been taken since), or -1. */
    long nextFreedLine() {
        return freedNext < freedCount ? freedLines[freedNext++] : -1;
    }

    /** A young collection starts: the lines the last one freed are no longer offered. */
    void forgetFreedLines() {
        freedCount = 0;
        freedNext = 0;
    }

    /** The remembered slots, in address order. */
    long[] rememberedSlots() {
        return remembered.toArray();
    }

    /** Whether {@code slot} is remembered (for verification). */
    boolean isRemembered(long slot) {
        return remembered.contains(slot);
    }

    long inUse() {
        return inUse;
    }

    /**
     * After a young collection (the ages already set): {@code live} bytes in use in young lines; of the
     * {@code collected} bytes that were in use in them, {@code survived} did; {@code stillRemembered} are the slots
     * in old lines naming objects in young ones.
     */
    void collected(long live, long collected, long survived, long[] stillRemembered) {
        mostlyGarbage = survived <= collected / 2;
        inUse = live;
        allocatedSince = 0;
        remembered.clear();
        for (long slot : stillRemembered) {
            remembered.add(slot);
        }
    }

    /** A full collection made every line old. */
    void reset() {
        tenureAll();
        forgetFreedLines();
        mostlyGarbage = false;
    }

    /** The most due young collections skipped in a row while they read more lines than they free. */
    static final int MAX_SKIP_RUN = 8;

    /**
     * The young collection that just ran faulted {@code lines} in (read them from the store, or zero-filled them). It
     * was worth it if it freed at least as many lines whole (each a write saved); if not (an app building what it
     * keeps, whose young lines were evicted before the collection came: it reads them back to free little), the next
     * due ones are skipped ({@link #tenureInstead}), twice as many each time that lasts, at most {@link #MAX_SKIP_RUN},
     * and young lines are not held back from cleaning meanwhile.
     */
    public void faulted(long lines) {
        worthIt = freedCount >= lines;
        skipRun = worthIt ? 0 : Math.min(MAX_SKIP_RUN, Math.max(1, skipRun * 2));
        skipsLeft = skipRun;
    }

    /**
     * At a due young collection: while the last one was not worth its reads ({@link #faulted}), tenures every young line
     * instead, without marking, and answers true.
     */
    public boolean tenureInstead() {
        if (skipsLeft == 0) {
            return false;
        }
        skipsLeft--;
        tenureAll();
        return true;
    }

    private void tenureAll() {
        Arrays.fill(ages, OLD);
        inUse = 0;
        allocatedSince = 0;
        remembered.clear();
    }

    /**
     * Whether a pre-flush (writing dirty lines ahead of a checkpoint) leaves line {@code line} to the checkpoint: a young
     * line while young collections free at least half of what they collect (one is then likely to free it before it
     * needs a write). A young generation that mostly survives, an app building what it keeps, is pre-flushed like the
     * rest, so its checkpoints stay short.
     */
    public boolean preflushSkips(long line) {
        return worthIt && mostlyGarbage && age(line) != OLD;
    }
}
