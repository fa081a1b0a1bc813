-- The flushes (Transacts with writes or deletes) applied to the open epoch under the current lease, counted
-- from 0 at each grant. A device whose flushes the server commits without waiting for the disk flush sends how
-- many it was told succeeded; a count here below that means the database lost acknowledged flushes in a crash,
-- and the store refuses the call (FLUSHES_LOST) instead of letting the device read or publish a wrong heap.
ALTER TABLE heap ADD COLUMN open_flushes BIGINT NOT NULL DEFAULT 0 CHECK (open_flushes >= 0);
