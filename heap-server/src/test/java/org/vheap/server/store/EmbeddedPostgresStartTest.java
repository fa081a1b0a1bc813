package org.vheap.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vheap.server.testing.TestHeaps;
import org.vheap.store.StoreException;

/**
 * The embedded database's start waits as long as PostgreSQL lives, and no longer: a PostgreSQL that cannot start
 * (here a setting it refuses) fails the start with the reason, instead of a wait without end.
 */
class EmbeddedPostgresStartTest {
    private final Path data = TestHeaps.tempDir("vheap-pg-start");

    @AfterEach
    void delete() {
        TestHeaps.deleteRecursively(data);
    }

    @Test
    void aPostgresThatExitsWhileStartingFailsTheStart() throws Exception {
        HeapDatabase.embedded(data, 2).close();   // a cluster that starts
        Files.writeString(data.resolve("postgres").resolve("postgresql.auto.conf"), "shared_buffers = 'no-size'\n",
                StandardOpenOption.APPEND);

        assertThatThrownBy(() -> HeapDatabase.embedded(data, 2).close())
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot start the embedded PostgreSQL under " + data.resolve("postgres"))
                .hasMessageContaining("PostgreSQL exited while it started");   // seen at once, not after the 2 min fallback
    }
}
