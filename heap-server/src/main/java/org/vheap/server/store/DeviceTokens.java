package org.vheap.server.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import javax.sql.DataSource;

/**
 * The hashes of the devices' access tokens (table {@code device_token}, migration {@code V5__device_tokens.sql},
 * one row per device name). The store never sees a token, only its SHA-256; comparing is the caller's (in
 * constant time). A device name has at most one token: issuing another replaces it at once, on every server
 * of the store.
 */
public final class DeviceTokens {
    private final DataSource dataSource;

    public DeviceTokens(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The hash of the device's token; {@code null}: the device has none. INVALID_ARGUMENT for a bad name. */
    public byte[] lookup(String device) {
        HeapNames.checkDevice(device);
        return SqlTransactions.withConnection(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT token_sha256 FROM device_token WHERE device_name = ?")) {
                ps.setString(1, device);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getBytes(1) : null;
                }
            }
        });
    }

    /** Sets (or replaces) the device's token hash; the old token stops working. INVALID_ARGUMENT for a bad name. */
    public void replace(String device, byte[] tokenSha256) {
        HeapNames.checkDevice(device);
        if (tokenSha256 == null || tokenSha256.length != 32) {
            throw new IllegalArgumentException("a token hash is 32 bytes (SHA-256)");
        }
        SqlTransactions.inTransaction(dataSource, c -> {
            // the time in VALUES, not in DO UPDATE: Citus allows only immutable functions there
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO device_token (device_name, token_sha256,"
                    + " created_at) VALUES (?, ?, now()) ON CONFLICT (device_name) DO UPDATE SET"
                    + " token_sha256 = EXCLUDED.token_sha256, created_at = EXCLUDED.created_at")) {
                ps.setString(1, device);
                ps.setBytes(2, tokenSha256);
                ps.executeUpdate();
            }
            return null;
        });
    }
}
