-- Per-app access tokens. Only a token's SHA-256 is stored; the token itself is shown once, to the device
-- that created the app (or to the admin who reset it). An app without a row here (created before this
-- migration) is reachable only with the admin token until the admin gives it one (vheap token --reset).
CREATE TABLE app_token (
    heap_id       BIGINT       PRIMARY KEY REFERENCES heap (heap_id) ON DELETE CASCADE,
    token_sha256  BYTEA        NOT NULL CHECK (octet_length(token_sha256) = 32),
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now()
);
