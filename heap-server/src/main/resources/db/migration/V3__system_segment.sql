-- The system segment: read-only, content-addressed blobs (class files, shared class data) shared by every
-- app of the store. A blob is named by the SHA-256 of its bytes, so it never changes: storing one that
-- exists is a no-op (INSERT ... ON CONFLICT DO NOTHING). Blobs belong to no heap: deleting an app keeps
-- them, since other apps may name the same ones (a system-segment GC is future work).
CREATE TABLE system_blob (
    sha256      BYTEA        PRIMARY KEY CHECK (octet_length(sha256) = 32),
    data        BYTEA        NOT NULL,
    size        INTEGER      NOT NULL CHECK (size = octet_length(data)),
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
