package io.websocksy.webconsole.internal;

import java.time.Duration;
import java.util.List;

import io.websocksy.api.admin.BridgeAdmin;
import io.websocksy.api.admin.ConnectionInfo;
import io.websocksy.api.admin.ListenerInfo;

/**
 * The websocksy page's HTML (the part inside the Web Console's frame). Server-rendered forms, no script: every
 * value is HTML-encoded ({@link Html#esc}); every form posts with the session's CSRF token.
 */
final class Page {
    /** A message from the last action, shown once. */
    record Flash(boolean ok, String text) {
    }

    private Page() {
    }

    /**
     * @param listeners the listeners, or null when the bridge is not running
     * @param connections the live connections
     * @param action the form action (the plugin's URL)
     * @param token the CSRF token
     * @param flash the outcome of the last action, or null
     * @return the HTML fragment
     */
    static String render(List<ListenerInfo> listeners, List<ConnectionInfo> connections, String action, String token,
            Flash flash) {
        StringBuilder h = new StringBuilder(4096);
        h.append("<div id=\"websocksy\">\n");
        if (flash != null) {
            h.append("<p id=\"flash\" class=\"").append(flash.ok() ? "ui-state-highlight" : "ui-state-error")
                    .append("\">").append(Html.esc(flash.text())).append("</p>\n");
        }
        if (listeners == null) {
            h.append("<p class=\"ui-state-error\">The websocksy bridge is not running (no BridgeAdmin service).</p>\n");
            return h.append("</div>\n").toString();
        }
        h.append("<h2>Listeners</h2>\n<table id=\"listeners\" class=\"tablesorter nicetable\"><thead><tr>")
                .append("<th>name</th><th>state</th><th>address</th><th>backend</th><th>open</th><th>accepted</th>")
                .append("<th>upgraded</th><th>rejected</th><th>action</th></tr></thead><tbody>\n");
        for (ListenerInfo l : listeners) {
            h.append("<tr data-listener=\"").append(Html.esc(l.name())).append("\"><td>").append(Html.esc(l.name()))
                    .append("</td><td class=\"state\">").append(Html.esc(l.state().label()));
            l.failure().ifPresent(f -> h.append(": ").append(Html.esc(f)));
            h.append("</td><td>").append(l.tls() ? "wss " : "ws ").append(Html.esc(l.address())).append("</td><td>")
                    .append(Html.esc(l.backend())).append(l.backendBound() ? "" : " (not running)").append("</td><td>")
                    .append(l.open()).append("</td><td>").append(l.accepted()).append("</td><td>").append(l.upgraded())
                    .append("</td><td>").append(l.rejected()).append("</td><td>");
            switch (l.state()) {
                case LISTENING:
                    form(h, action, token, "drain");
                    hidden(h, "listener", l.name());
                    h.append("<label>timeout (s) <input name=\"timeout\" size=\"4\" value=\"30\"></label> ")
                            .append("<button type=\"submit\">Drain</button></form>");
                    break;
                case DRAINING:
                case DRAINED:
                    form(h, action, token, "resume");
                    hidden(h, "listener", l.name());
                    h.append("<button type=\"submit\">Resume</button></form>");
                    break;
                default:
                    break;
            }
            h.append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");

        h.append("<h2>Connections</h2>\n<table id=\"connections\" class=\"tablesorter nicetable\"><thead><tr>")
                .append("<th>id</th><th>listener</th><th>client</th><th>path</th><th>peer</th><th>framer</th>")
                .append("<th>bytes to peer</th><th>bytes to client</th><th>messages up/down</th><th>age</th>")
                .append("<th>close</th></tr></thead><tbody>\n");
        if (connections.isEmpty()) {
            h.append("<tr><td colspan=\"11\">no live connection</td></tr>\n");
        }
        for (ConnectionInfo c : connections) {
            String client = c.client().getAddress() == null ? c.client().getHostString() + ":" + c.client().getPort()
                    : c.client().getAddress().getHostAddress() + ":" + c.client().getPort();
            h.append("<tr data-id=\"").append(c.id()).append("\" data-client=\"").append(Html.esc(client))
                    .append("\"><td>").append(c.id()).append("</td><td>").append(Html.esc(c.listener()))
                    .append("</td><td>").append(Html.esc(client)).append("</td><td>").append(Html.esc(c.path()))
                    .append("</td><td>").append(Html.esc(c.route().peer())).append("</td><td>")
                    .append(Html.esc(c.route().framer()));
            c.subprotocol().ifPresent(p -> h.append(" (").append(Html.esc(p)).append(")"));
            h.append("</td><td>").append(c.bytesUp()).append("</td><td>").append(c.bytesDown()).append("</td><td>")
                    .append(c.messagesUp()).append(" / ").append(c.messagesDown()).append("</td><td>")
                    .append(Html.esc(age(c.age()))).append("</td><td>");
            form(h, action, token, "close");
            hidden(h, "id", String.valueOf(c.id()));
            h.append("<select name=\"code\"><option value=\"1008\">1008 policy violation</option>")
                    .append("<option value=\"1001\">1001 going away</option>")
                    .append("<option value=\"1000\">1000 normal</option></select> ")
                    .append("<input name=\"reason\" size=\"18\" maxlength=\"").append(BridgeAdmin.MAX_REASON_BYTES)
                    .append("\" value=\"closed by administrator\"> <button type=\"submit\">Close</button></form>")
                    .append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");

        h.append("<h2>Route dry run</h2>\n<p>Resolves a route as a handshake would; no peer is contacted.</p>\n");
        form(h, action, token, "dryrun");
        h.append("<label>listener <select name=\"listener\">");
        for (ListenerInfo l : listeners) {
            h.append("<option>").append(Html.esc(l.name())).append("</option>");
        }
        h.append("</select></label> <label>path <input name=\"target\" size=\"30\" value=\"/\"></label> ")
                .append("<label>subprotocols <input name=\"subprotocols\" size=\"14\" placeholder=\"a, b\"></label><br>")
                .append("<label>headers, one <code>Name: value</code> a line<br><textarea name=\"headers\" rows=\"3\" ")
                .append("cols=\"60\"></textarea></label><br><button type=\"submit\">Dry run</button></form>\n");
        return h.append("</div>\n").toString();
    }

    private static void form(StringBuilder h, String action, String token, String what) {
        h.append("<form method=\"post\" action=\"").append(Html.esc(action)).append("\" class=\"").append(what)
                .append("\">");
        hidden(h, "action", what);
        hidden(h, "token", token);
    }

    private static void hidden(StringBuilder h, String name, String value) {
        h.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"").append(Html.esc(value))
                .append("\">");
    }

    /** @return e.g. {@code 3h 02m 05s}, {@code 42s} */
    static String age(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format("%dm %02ds", s / 60, s % 60);
        }
        return String.format("%dh %02dm %02ds", s / 3600, (s / 60) % 60, s % 60);
    }
}
