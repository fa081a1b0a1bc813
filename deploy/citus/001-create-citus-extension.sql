-- Run once by the entrypoint when it initialises a cluster, in POSTGRES_DB (as the public citusdata/citus image does):
-- every node of a Citus cluster needs the extension in the database the heap server uses.
CREATE EXTENSION citus;
