package org.vheap.server.console;

/**
 * One HTML page of the console as it is written: the frame every page shares (navigation, the session's one-time
 * message, the stylesheet and script the server serves itself; nothing from elsewhere) around the page's own
 * markup. Forms it writes are POSTs carrying the session's CSRF token. Text from the store goes in through
 * {@link Html#text}.
 */
final class Page {
    private final StringBuilder b = new StringBuilder(8192);
    private final String csrf;
    private final String back;

    /** @param back the page's own address: where an action of its forms comes back to, saying what happened */
    Page(String title, ConsoleSession session, String nav, String back) {
        this.csrf = session == null ? "" : session.csrf;
        this.back = back;
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(Html.text(title)).append(" · vheap</title>")
                .append("<link rel=\"stylesheet\" href=\"/static/console.css\">")
                .append("<script src=\"/static/console.js\" defer></script></head><body>")
                .append("<header><a class=\"brand\" href=\"/apps\">vheap</a><nav>");
        for (String[] item : new String[][] {{"apps", "Apps"}, {"devices", "Devices"}, {"server", "Server"}}) {
            b.append("<a href=\"/").append(item[0]).append('"').append(item[0].equals(nav) ? " class=\"here\"" : "")
                    .append('>').append(item[1]).append("</a>");
        }
        b.append("</nav>");
        if (session != null && session.adminToken != null) {
            b.append("<form method=\"post\" action=\"/logout\" class=\"logout\">").append(csrfField())
                    .append("<button>Log out</button></form>");
        }
        b.append("</header><main>");
        if (session != null) {
            ConsoleSession.Flash flash = session.takeFlash();
            if (flash != null) {
                b.append("<p class=\"flash ").append(flash.error() ? "error" : "ok").append("\" id=\"flash\">")
                        .append(Html.text(flash.text())).append("</p>");
            }
        }
        b.append("<h1>").append(Html.text(title)).append("</h1>");
    }

    /** Appends markup as it is. */
    Page raw(String html) {
        b.append(html);
        return this;
    }

    /** Appends text, escaped. */
    Page text(String s) {
        b.append(Html.text(s));
        return this;
    }

    /** The hidden field with the session's CSRF token, for a form of the page's own. */
    String csrfField() {
        return "<input type=\"hidden\" name=\"csrf\" value=\"" + Html.text(csrf) + "\"><input type=\"hidden\""
                + " name=\"back\" value=\"" + Html.text(back) + "\">";
    }

    /**
     * A one-button POST form to {@code action}; {@code fields} are name, value pairs; {@code confirm} (or null) is
     * asked in a dialog first.
     */
    String button(String action, String label, String confirm, String... fields) {
        StringBuilder f = new StringBuilder("<form method=\"post\" class=\"inline\" action=\"").append(Html.text(action))
                .append('"');
        if (confirm != null) {
            f.append(" data-confirm=\"").append(Html.text(confirm)).append('"');
        }
        f.append('>').append(csrfField());
        for (int i = 0; i + 1 < fields.length; i += 2) {
            f.append("<input type=\"hidden\" name=\"").append(Html.text(fields[i])).append("\" value=\"")
                    .append(Html.text(fields[i + 1])).append("\">");
        }
        return f.append("<button>").append(Html.text(label)).append("</button></form>").toString();
    }

    String finish() {
        return b.append("</main></body></html>\n").toString();
    }
}
