package org.vheap.server.console;

import io.javalin.http.Context;

/**
 * What a console handler works with: the browser's session, the server's RPCs made on its behalf, and the address of
 * the page asked for ({@code here}, with its query).
 */
record ConsoleRequest(ConsoleSession session, ConsoleCalls calls, String here) {
    private static final String KEY = "vheap.console.request";

    static ConsoleRequest of(Context ctx) {
        return ctx.attribute(KEY);
    }

    void attachTo(Context ctx) {
        ctx.attribute(KEY, this);
    }

    /** A new page in this session's frame. */
    Page page(String title, String nav) {
        return new Page(title, session, nav, here);
    }
}
