-- Fencing tokens and epochs come from store-wide sequences, so neither ever repeats: not even when an app
-- is deleted and created again under the same name (a zombie device of the old heap then still holds a
-- token that is stale for the new one, and checkpoint ids are never reused).
CREATE SEQUENCE fencing_token_seq;
CREATE SEQUENCE epoch_seq;
-- an upgraded store goes on above every token and epoch already handed out; a new one starts at 1
SELECT setval('fencing_token_seq', max(fencing_token)) FROM heap HAVING max(fencing_token) > 0;
SELECT setval('epoch_seq', max(next_epoch) - 1) FROM heap HAVING max(next_epoch) > 1;
ALTER TABLE heap DROP COLUMN next_epoch;
