package io.websocksy.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.websocksy.api.admin.ConnectionInfo;
import io.websocksy.api.admin.ListenerInfo;
import io.websocksy.api.backend.Route;
import io.websocksy.api.peer.PeerAddress;

class PageTest {
    static final String EVIL = "<script>alert('x')</script>\"&";

    static ListenerInfo listener(String name, ListenerInfo.State state) {
        return ListenerInfo.named(name).address("127.0.0.1:8001").backend("main", true).state(state)
                .counts(1, 7, 5, 2).build();
    }

    static ConnectionInfo connection() {
        Route route = Route.to(PeerAddress.parse("tcp://127.0.0.1:5900")).framer("binary").build();
        return ConnectionInfo.withId(42).of("main", new InetSocketAddress("127.0.0.1", 40001), "/x" + EVIL, route)
                .traffic(11, 1, 22, 2).times(Instant.now(), Duration.ofSeconds(125), Duration.ofSeconds(3)).build();
    }

    @Test
    void listsListenersAndConnectionsWithTheirCountersAndForms() {
        String h = Page.render(List.of(listener("main", ListenerInfo.State.LISTENING),
                listener("old", ListenerInfo.State.DRAINED)), List.of(connection()), "/system/console/websocksy",
                "TOKEN123", null);
        assertTrue(h.contains("<tr data-listener=\"main\"><td>main</td><td class=\"state\">listening</td>"), h);
        assertTrue(h.contains("<td>ws 127.0.0.1:8001</td><td>main</td><td>1</td><td>7</td><td>5</td><td>2</td>"), h);
        assertTrue(h.contains("<tr data-id=\"42\" data-client=\"127.0.0.1:40001\"><td>42</td><td>main</td>"
                + "<td>127.0.0.1:40001</td>"), h);
        assertTrue(h.contains("<td>tcp://127.0.0.1:5900</td><td>binary</td><td>11</td><td>22</td><td>1 / 2</td>"
                + "<td>2m 05s</td>"), h);
        // one form per action, each with the token: drain for main, resume for old, close for #42, dry run
        assertEquals(4, count(h, "<input type=\"hidden\" name=\"token\" value=\"TOKEN123\">"), h);
        assertTrue(h.contains("class=\"drain\"><input type=\"hidden\" name=\"action\" value=\"drain\">"), h);
        assertTrue(h.contains("class=\"resume\"><input type=\"hidden\" name=\"action\" value=\"resume\">"), h);
        assertTrue(h.contains("<input type=\"hidden\" name=\"id\" value=\"42\"><select name=\"code\">"
                + "<option value=\"1008\">"), h);
        assertTrue(h.contains("<option value=\"1001\">"), h);
        assertTrue(h.contains("<form method=\"post\" action=\"/system/console/websocksy\" class=\"dryrun\">"), h);
        assertFalse(h.contains("<script"), h);
    }

    @Test
    void everyValueIsHtmlEncoded() {
        ListenerInfo bad = ListenerInfo.named("a" + EVIL).address("127.0.0.1:1").backend("b" + EVIL, false)
                .state(ListenerInfo.State.FAILED).failure("cannot bind " + EVIL).counts(0, 0, 0, 0).build();
        String h = Page.render(List.of(bad), List.of(connection()), "/system/console/websocksy\"><script>",
                "T\"><script>", new Page.Flash(false, "refused " + EVIL));
        assertFalse(h.contains("<script"), h);
        assertFalse(h.contains("alert('x')"), h);
        assertTrue(h.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;"), h);
        assertTrue(h.contains("<p id=\"flash\" class=\"ui-state-error\">refused &lt;script&gt;"), h);
        assertTrue(h.contains("failed: cannot bind &lt;script&gt;"), h);
        assertTrue(h.contains(" (not running)"), h);
        // every attribute value is quoted and holds no raw quote: count quotes per tag
        Matcher m = Pattern.compile("<[^>]*>").matcher(h);
        while (m.find()) {
            assertEquals(0, count(m.group(), "\"") % 2, m.group());
        }
    }

    @Test
    void withoutTheBridgeThePageSaysSo() {
        String h = Page.render(null, List.of(), "/a", "t", null);
        assertTrue(h.contains("The websocksy bridge is not running"), h);
        assertFalse(h.contains("<form"), h);
    }

    @Test
    void ageIsReadable() {
        assertEquals("5s", Page.age(Duration.ofSeconds(5)));
        assertEquals("1m 00s", Page.age(Duration.ofSeconds(60)));
        assertEquals("2h 03m 04s", Page.age(Duration.ofSeconds(7384)));
    }

    static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }
}
