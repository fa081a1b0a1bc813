-- vheap heap store, schema 8: app names in a table of their own.
--
-- A heap's name was unique in the heap table. On Citus every per-app table is distributed by heap_id, and a
-- distributed table can keep a unique constraint only on columns that include its distribution column; so the
-- names, and their uniqueness, move to heap_name (a reference table on Citus: on every node). heap.app_name stays,
-- and a call's first statement matches a heap by id and name together (an id a server remembers may be stale when the
-- app was deleted and created again).

CREATE TABLE heap_name (
    app_name  TEXT    PRIMARY KEY,
    heap_id   BIGINT  NOT NULL UNIQUE
);

INSERT INTO heap_name (app_name, heap_id) SELECT app_name, heap_id FROM heap;

ALTER TABLE heap DROP CONSTRAINT heap_app_name_key;
