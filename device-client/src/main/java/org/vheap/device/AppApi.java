package org.vheap.device;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.vheap.device.vm.Vm;
import org.vheap.device.vm.natives.Natives;
import org.vheap.format.VmStateImage;

/**
 * The device's side of the app API jar ({@code org.vheap.api}): the VM entry points of
 * {@code org.vheap.api.Checkpoint}, substituted here. A checkpoint request returns a ticket; the checkpoint that
 * serves it is taken at the next safepoint, and every ticket asked for before a checkpoint's state was taken is
 * served by that checkpoint. A resumed app's tickets up to its checkpoint are served by the checkpoint it
 * resumed from (the image's {@link #TICKETS} attachment). Events for the app's listeners queue here until
 * its dispatcher thread polls them; they are host-side, so ones not yet delivered at a checkpoint are not
 * replayed after a resume (the resume itself is announced).
 *
 * <p>Used on the VM's host thread only.
 */
final class AppApi {
    static final String TICKETS = "api-tickets";
    private static final String OWNER = "org/vheap/api/Checkpoint";
    private static final int MAX_EVENTS = 1000;

    private final Checkpointer checkpointer;
    private final ArrayDeque<String> events = new ArrayDeque<>();
    private long requested;
    private long served;
    private long servedBy;

    AppApi(Checkpointer checkpointer) {
        this.checkpointer = checkpointer;
    }

    void register(Natives natives, Vm vm) {
        natives.register(OWNER, "vmPresent", "()Z", (t, s, b) -> 1);
        natives.register(OWNER, "request", "()J", (t, s, b) -> {
            checkpointer.requestCheckpoint();
            t.yieldNow = true;
            return ++requested;
        });
        natives.register(OWNER, "result", "(J)J", (t, s, b) -> s[b] <= served ? servedBy : 0);
        natives.register(OWNER, "nextEvent", "()Ljava/lang/String;", (t, s, b) -> {
            String e = events.poll();
            return e == null ? 0 : vm.strings().newString(e);
        });
    }

    /**
     * A checkpoint's state is being taken: it serves every ticket asked for so far. Returns how many that is, for
     * {@link #checkpointed}.
     */
    long taking(VmStateImage state) {
        state.attachments.put(TICKETS, ByteBuffer.allocate(8).putLong(requested).array());
        return requested;
    }

    /** Checkpoint {@code id} is in the store that keeps the app's history: it serves the first {@code covers} tickets. */
    void checkpointed(long id, long covers) {
        served = Math.max(served, covers);
        servedBy = id;
        event("checkpointed " + id);
    }

    void failed(String reason) {
        event("failed " + reason.replace('\n', ' '));
    }

    /** The app goes on from {@code checkpointId}: its earlier tickets are served by it. */
    void resumed(VmStateImage state, long checkpointId, String device) {
        byte[] t = state.attachments.get(TICKETS);
        if (t != null && t.length == 8) {
            requested = ByteBuffer.wrap(t).getLong();
            served = requested;
            servedBy = checkpointId;
        }
        event("resumed " + checkpointId + " " + device);
    }

    /** Queues an event for the app's listeners (its dispatcher thread polls them). */
    void event(String e) {
        if (events.size() >= MAX_EVENTS) {
            events.poll();
        }
        events.add(e);
    }
}
