package org.vheap.server.store;

/**
 * Who may open a heap, decided inside {@link PgHeapStore#open}'s transaction, so no race can slip an
 * unchecked open past it: {@link #checkExisting} runs before anything of an existing heap changes (a
 * refusal throws and changes nothing), {@link #checkMissing} runs before the open of a heap that does not exist
 * and is not to be created answers NOT_FOUND (so the guard decides who may learn that), and a heap that this
 * open creates gets {@link #newTokenSha256()} as
 * its access token's hash in the same transaction.
 */
public interface OpenGuard {
    /** No checks and no token. */
    OpenGuard NONE = new OpenGuard() {
        @Override
        public void checkExisting(String app, byte[] tokenSha256) {
        }

        @Override
        public void checkMissing(String app) {
        }

        @Override
        public byte[] newTokenSha256() {
            return null;
        }
    };

    /**
     * Called for an existing heap with its token's hash ({@code null}: it has none); throws to refuse the
     * open.
     */
    void checkExisting(String app, byte[] tokenSha256);

    /** Called for a heap that does not exist and is not to be created, before NOT_FOUND; throws to refuse. */
    void checkMissing(String app);

    /** The token hash to store for a heap this open creates; {@code null}: none. */
    byte[] newTokenSha256();
}
