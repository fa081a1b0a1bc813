-- Per-device access tokens, for a device's control stream (DeviceControl.Attach) on a server that requires
-- tokens. Only a token's SHA-256 is stored; the token itself is shown once, to the admin who issued it
-- (vheap token --device NAME). A device name without a row here attaches with the admin token only.
-- Devices are not rows of their own (a device is known while attached), so the name is the key.
CREATE TABLE device_token (
    device_name   TEXT         PRIMARY KEY CHECK (length(device_name) BETWEEN 1 AND 128),
    token_sha256  BYTEA        NOT NULL CHECK (octet_length(token_sha256) = 32),
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now()
);
