/**
 * The heap server's web console ({@code ./vheap server --console-port PORT}): the seed's store management (browse
 * heaps, pick a checkpoint, suspend, resume, remove a checkpoint or a heap) with live migrations and a look inside
 * any heap, in a browser.
 *
 * <p><b>Architecture.</b> {@link org.vheap.server.console.ConsoleServer} (Javalin on Jetty) renders pages on the
 * server; the browser gets HTML, one stylesheet and one small script, all served by the server (nothing from
 * elsewhere, enforced by a Content-Security-Policy). Every page and action is made of the server's own RPCs, called in
 * process ({@code ConsoleCalls}) with the browser's session token and address, so the server's checks apply to the
 * console exactly as to the CLI: tokens, protected mode, leases, fencing, every refusal and its message. Nothing here
 * reads the database.
 *
 * <ul>
 * <li>{@code ConsoleAccess}: protected mode, sessions ({@code ConsoleSessions}: login with the admin token, an HttpOnly
 *     SameSite=Strict cookie, Secure under TLS) and the CSRF token every POST carries;</li>
 * <li>pages by what they show: {@code AppsPage} (and import), {@code AppPage} (checkpoint timeline and quick
 *     actions), {@code DevicesPage}, {@code HeapPages} (summary, histogram with retained sizes, objects, one object
 *     and its path from a root, strings, diff), {@code ServerPage} (health, facts, the calls chart from
 *     {@code CallHistory});</li>
 * <li>long actions ({@code AppJobs}: migrate, export, collect; import) run as {@code ConsoleJob}s on
 *     {@code ConsoleJobs}' threads; {@code JobPages} shows one and streams its progress as server-sent events, each
 *     carrying the lines and bytes moved so far, then its outcome or the server's message;</li>
 * <li>{@code Page} and {@code Html}: the frame every page shares and escaping: text from the store is never markup.</li>
 * </ul>
 */
package org.vheap.server.console;
