-- Where the store was last opened: the PostgreSQL cluster (pg_control_system's system identifier), the database (its
-- oid) and this table itself (its oid). A logical restore (pg_restore, psql < dump) recreates this table, and a restore
-- into another database or cluster changes the others too: a heap server that finds any of them changed knows the
-- store was restored from a backup, and fences it (RestoreFence) before serving it. A physical restore
-- (pg_basebackup) keeps all three, and so does a failover to a replica: after one, ./vheap after-restore fences.
CREATE TABLE store_identity (
    singleton          BOOLEAN      PRIMARY KEY DEFAULT true CHECK (singleton),
    system_identifier  BIGINT       NOT NULL,
    database_oid       BIGINT       NOT NULL,
    table_oid          BIGINT       NOT NULL,
    recorded_at        TIMESTAMPTZ  NOT NULL
);
