-- A checkpoint pinned for a device's copies of its lines: kept beyond the retention policy until pinned_until,
-- because the device that committed it keeps copies of the heap's lines, and when the app returns there, lines
-- that changed meanwhile travel as patches against the versions this checkpoint sees. NULL: not pinned. A
-- device's newer pinned checkpoint of the same app ends the pin of its older one.
ALTER TABLE checkpoint ADD COLUMN pinned_until TIMESTAMPTZ;
