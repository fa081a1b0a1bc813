package org.vheap.device.store.flash;

import java.io.IOException;

/**
 * A record would have taken a log past the bytes it may use ({@link FlashLogWriter#limit}): nothing of it was
 * written, and the medium is as it was, so unlike other {@link IOException}s this one leaves the log usable.
 */
final class FlashLogFullException extends IOException {
    private final long past;

    FlashLogFullException(long limit, long end) {
        super("the record would end the log at byte " + end + ", past its limit of " + limit + " bytes");
        this.past = end - limit;
    }

    /** How many bytes past its limit the record would have ended the log. */
    long past() {
        return past;
    }
}
