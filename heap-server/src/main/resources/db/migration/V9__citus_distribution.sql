-- vheap heap store, schema 9: the store distributed by heap on Citus; nothing changes on plain PostgreSQL.
--
-- When the citus extension is installed in the database (CREATE EXTENSION citus, with its worker nodes added,
-- before the first heap server starts on it), every per-app table is distributed by heap_id and co-located with
-- heap: all rows of one heap are on one shard, and every statement of a call, which names its heap by id, runs on
-- the one worker holding it. The store-wide tables are reference tables (a copy on every node): names, the system
-- segment's blobs (a class fetch stays one round trip), device tokens. The sequences (heap ids, fencing tokens,
-- epochs) stay on the coordinator, where the heap servers connect; nextval there keeps ids unique and growing.
-- A database that gets the extension after this migration ran is not distributed by it (see docs/store.md).

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        PERFORM create_reference_table('heap_name');
        PERFORM create_reference_table('system_blob');
        PERFORM create_reference_table('device_token');
        PERFORM create_distributed_table('heap', 'heap_id');
        PERFORM create_distributed_table('checkpoint', 'heap_id', colocate_with => 'heap');
        PERFORM create_distributed_table('line_version', 'heap_id', colocate_with => 'heap');
        PERFORM create_distributed_table('app_token', 'heap_id', colocate_with => 'heap');
    END IF;
END $$;
