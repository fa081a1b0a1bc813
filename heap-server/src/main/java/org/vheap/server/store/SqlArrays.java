package org.vheap.server.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Array parameters of the store's statements: many rows travel as a few SQL arrays ({@code unnest}), in
 * batches of bounded bytes, so one statement does the work of many and no statement grows without bound.
 */
final class SqlArrays {
    private SqlArrays() {
    }

    /** {@code ids} as an {@code int8[]}. */
    static Array int8(Connection c, long[] ids) throws SQLException {
        Long[] boxed = new Long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            boxed[i] = ids[i];
        }
        return c.createArrayOf("int8", boxed);
    }

    /**
     * Splits {@code items} into consecutive batches of at most {@code maxBytes} (by {@code bytes}), one
     * statement's worth each; an item larger than that is a batch of its own.
     */
    static <T> List<List<T>> statementBatches(List<T> items, ToIntFunction<T> bytes, long maxBytes) {
        List<List<T>> batches = new ArrayList<>();
        int start = 0;
        while (start < items.size()) {
            int end = start;
            long batchBytes = 0;
            while (end < items.size() && (end == start || batchBytes + bytes.applyAsInt(items.get(end)) <= maxBytes)) {
                batchBytes += bytes.applyAsInt(items.get(end));
                end++;
            }
            batches.add(items.subList(start, end));
            start = end;
        }
        return batches;
    }
}
