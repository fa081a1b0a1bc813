-- Quotas: what one app may keep in the store and how fast it may call (vheap quota; AppQuotas). Keyed by the app's
-- name, not its heap id, so an operator may give a quota before the app exists, and an app deleted and created again
-- keeps its quota; the name '' holds the default of every app without a row of its own. 0 in a column: no limit.
-- On Citus it is the coordinator's own table, as store_identity is: every call that reads it goes there.
CREATE TABLE app_quota (
    app_name              TEXT     PRIMARY KEY CHECK (length(app_name) <= 128),
    max_lines             BIGINT   NOT NULL CHECK (max_lines >= 0),
    max_bytes             BIGINT   NOT NULL CHECK (max_bytes >= 0),
    max_checkpoints       INTEGER  NOT NULL CHECK (max_checkpoints >= 0),
    max_calls_per_second  INTEGER  NOT NULL CHECK (max_calls_per_second >= 0)
);
