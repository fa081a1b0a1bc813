-- vheap heap store, schema 1. PostgreSQL 14 or newer (int8multirange).
--
-- One row in heap per application. Lines are stored as versions: a version belongs to the epoch that wrote
-- it. A checkpoint publishes one epoch; its lineage is the set of epochs whose versions it can see, and the
-- content of a line in a checkpoint is its version with the highest epoch in that lineage (a NULL data is a
-- deletion). The lease holder's open epoch has a lineage too (its base checkpoint's plus itself).

CREATE TABLE heap (
    heap_id              BIGSERIAL    PRIMARY KEY,
    app_name             TEXT         NOT NULL UNIQUE,
    line_size            INTEGER      NOT NULL CHECK (line_size > 0),
    created_at           TIMESTAMPTZ  NOT NULL,
    next_epoch           BIGINT       NOT NULL DEFAULT 1,
    fencing_token        BIGINT       NOT NULL DEFAULT 0,
    lease_holder         TEXT,
    lease_expires_at     TIMESTAMPTZ,
    open_epoch           BIGINT,
    open_lineage         INT8MULTIRANGE,
    open_base_checkpoint BIGINT,
    open_base_line_count BIGINT,
    CHECK ((lease_holder IS NULL) = (open_epoch IS NULL)),
    CHECK ((open_epoch IS NULL) = (open_lineage IS NULL))
);

CREATE TABLE checkpoint (
    heap_id              BIGINT       NOT NULL REFERENCES heap (heap_id) ON DELETE CASCADE,
    checkpoint_id        BIGINT       NOT NULL,  -- the epoch it published
    parent_checkpoint_id BIGINT,
    lineage              INT8MULTIRANGE NOT NULL,
    created_at           TIMESTAMPTZ  NOT NULL,
    device               TEXT         NOT NULL,
    fencing_token        BIGINT       NOT NULL,
    line_count           BIGINT       NOT NULL,
    lines_written        BIGINT       NOT NULL,
    vm_state             BYTEA        NOT NULL,
    metadata             JSONB        NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (heap_id, checkpoint_id)
);

CREATE TABLE line_version (
    heap_id  BIGINT  NOT NULL REFERENCES heap (heap_id) ON DELETE CASCADE,
    line_id  BIGINT  NOT NULL CHECK (line_id >= 0),
    epoch    BIGINT  NOT NULL,
    data     BYTEA,  -- NULL: the line is deleted in this epoch
    PRIMARY KEY (heap_id, line_id, epoch)
);

-- discarding an epoch, per-epoch statistics and lineage gap checks go by epoch
CREATE INDEX line_version_by_epoch ON line_version (heap_id, epoch);

ALTER TABLE line_version ALTER COLUMN data SET STORAGE EXTERNAL;  -- lines are incompressible more often than not
