package org.vheap.server.store;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.vheap.store.LineImage;

/**
 * A rehearsal of the store's busiest paths, run once when a heap server starts: a heap created, flushed (one small
 * flush, one large enough for a binary COPY), committed, closed, opened again from its checkpoint with the VM state,
 * read, streamed and committed again — what a device's run and a migration's resume ask of a fresh server. The first
 * real calls then find the host JIT's code compiled (and the pooled connection it used has its statements prepared
 * and its catalog caches warm), instead of paying for it (about 90 ms on the first migration through a fresh server
 * here).
 *
 * <p><b>Contract.</b> Every step runs on one pooled connection, inside one transaction that is rolled back at the
 * end (the store's own commits and closes are no-ops on it): nothing of the rehearsal is ever visible to another
 * session, and nothing of it is stored. Its heap has a random name, so rehearsals of several servers on one database
 * never wait for each other.
 *
 * <p><b>Risks.</b> It holds one connection of the pool while it runs (about half a second on a cold server); the
 * store's sequences (fencing tokens, epochs) advance by a few, which their contract allows (never reused, always
 * growing); a failure only ends the rehearsal, and so does {@code stop}, asked between steps.
 */
public final class StoreRehearsal {
    /** Lines of the large flush: more than {@link LineVersions#COPY_BYTES}, so it takes the COPY path. */
    private static final int COPY_LINES = LineVersions.COPY_BYTES / PgHeapStore.DEFAULT_LINE_SIZE + 16;

    private StoreRehearsal() {
    }

    /**
     * Rehearses on one connection of {@code pool}, rolled back at the end; returns whether every step ran ({@code stop}
     * true between steps ends it early).
     *
     * @throws RuntimeException when a step fails (nothing is stored either way)
     */
    public static boolean run(DataSource pool, Clock clock, StoreSettings settings, BooleanSupplier stop) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                return rehearse(new PgHeapStore(onOneTransaction(c), clock, settings, task -> { }), stop);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    private static boolean rehearse(PgHeapStore store, BooleanSupplier stop) {
        String app = "vheap-rehearsal-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        String device = "vheap-rehearsal";
        byte[] vmState = new byte[40 << 10];
        long token = store.open(new PgHeapStore.OpenRequest(app, device, true, PgHeapStore.DEFAULT_LINE_SIZE, 0, 0, false))
                .lease().fencingToken();
        store.transact(app, token, 0, new long[0], lines(0, 8), new long[0]);
        if (stop.getAsBoolean()) {
            return false;
        }
        store.transact(app, token, 0, new long[0], lines(8, COPY_LINES), new long[0]);
        store.commit(app, token, device, vmState, Map.of("step", "rehearsal"), lines(0, 4), new long[0]);
        store.close(app, token);
        if (stop.getAsBoolean()) {
            return false;
        }
        token = store.open(new PgHeapStore.OpenRequest(app, device, false, 0, 0, 0, true)).lease().fencingToken();
        store.transact(app, token, 0, new long[] {0, 1, 2, 3, 100}, List.of(), new long[0]);
        List<LineImage> streamed = new ArrayList<>();
        store.streamLines(app, token, 0, List.of(new PgHeapStore.LineRange(0, 63)), 1 << 20, streamed::addAll);
        if (stop.getAsBoolean()) {
            return false;
        }
        store.commit(app, token, device, vmState, Map.of(), lines(0, 2), new long[] {5});
        store.close(app, token);
        return true;
    }

    /** Lines {@code from .. from + count - 1}, each filled with its id's low byte. */
    private static List<LineImage> lines(int from, int count) {
        List<LineImage> lines = new ArrayList<>(count);
        for (int id = from; id < from + count; id++) {
            byte[] data = new byte[PgHeapStore.DEFAULT_LINE_SIZE];
            java.util.Arrays.fill(data, (byte) id);
            lines.add(new LineImage(id, data));
        }
        return lines;
    }

    /**
     * A data source that hands out {@code c} for every unit of work, with commits, closes and the transaction's
     * settings (auto-commit, isolation, read-only) left undone: the work all happens in {@code c}'s one transaction,
     * which the caller rolls back. A rollback the store makes after a failed step rolls it all back, as intended.
     */
    private static DataSource onOneTransaction(Connection c) {
        Connection kept = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "commit", "close", "setAutoCommit", "setTransactionIsolation", "setReadOnly" -> null;
                    case "getAutoCommit" -> false;
                    case "isClosed" -> c.isClosed();
                    default -> invoke(c, m, args);
                });
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "getConnection" -> kept;
                    case "toString" -> "the rehearsal's one transaction";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    // the store asks a data source for nothing else (log writers, timeouts, unwrapping)
                    default -> throw new UnsupportedOperationException("a rehearsal's data source gives only its connection");
                });
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
