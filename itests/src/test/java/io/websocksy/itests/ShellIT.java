package io.websocksy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

import io.websocksy.api.backend.Backend;
import io.websocksy.api.backend.Route;
import io.websocksy.api.framer.Decision;
import io.websocksy.api.framer.Framer;
import io.websocksy.api.peer.PeerAddress;
import io.websocksy.itests.support.Poll;
import io.websocksy.itests.support.Ports;
import io.websocksy.itests.support.RawHttp;
import io.websocksy.itests.support.RawHttp.Request;
import io.websocksy.itests.support.RawWs;
import io.websocksy.itests.support.TcpPeer;
import io.websocksy.itests.support.WsClient;
import io.websocksy.itests.support.WsClient.Closed;

/**
 * SPEC §8 / issue 6: the {@code websocksy:*} Gogo commands, run through Gogo's command processor
 * inside the framework while real connections are open.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellIT extends BridgeTestBase {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    private CommandProcessor processor;

    @Override
    protected String[] framers() {
        return new String[] {"auto", "newline", "separator"};
    }

    /** Output of one command. */
    private static final class Out {
        final String out;
        final String err;

        Out(String out, String err) {
            this.out = out;
            this.err = err;
        }

        @Override
        public String toString() {
            return "stdout:\n" + out + "stderr:\n" + err;
        }
    }

    @Before
    public void awaitCommands() {
        Poll.until(WAIT, "websocksy:* commands registered", () -> {
            try {
                ServiceReference<?>[] r = ctx.getServiceReferences((String) null, "(osgi.command.scope=websocksy)");
                return r != null && r.length > 0;
            } catch (InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private Out sh(String line) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandSession s = processor.createSession(new ByteArrayInputStream(new byte[0]), out, err);
        try {
            s.execute(line); // a command that threw would surface here and fail the test
        } finally {
            s.close();
        }
        Out o = new Out(out.toString(StandardCharsets.UTF_8), withoutLogLines(err.toString(StandardCharsets.UTF_8)));
        System.out.print("websocksy> " + line + "\n" + o.out + o.err); // transcript in ShellIT-output.txt
        return o;
    }

    /**
     * slf4j-simple writes to System.err, which Gogo redirects to the session while a command runs, so
     * the bridge's own log lines (e.g. "draining ...") show up there; they are not command output.
     */
    private static String withoutLogLines(String err) {
        StringBuilder b = new StringBuilder();
        for (String line : err.split("(?<=\n)")) {
            if (!line.matches("(?s)\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[.*")) {
                b.append(line);
            }
        }
        return b.toString();
    }

    /** Parses an aligned table: header, then rows; cells are separated by two or more blanks. */
    private static List<Map<String, String>> table(Out o) {
        assertEquals("nothing on stderr: " + o, "", o.err);
        String[] lines = o.out.split("\n");
        String[] head = lines[0].trim().split("\\s{2,}");
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].trim().split("\\s{2,}", head.length);
            assertEquals("cells in row " + i + " of\n" + o.out, head.length, cells.length);
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < head.length; c++) {
                row.put(head[c], cells[c]);
            }
            rows.add(row);
        }
        return rows;
    }

    private static Map<String, String> only(List<Map<String, String>> rows, String column, String value) {
        Map<String, String> hit = null;
        for (Map<String, String> r : rows) {
            if (value.equals(r.get(column))) {
                assertTrue("one row with " + column + "=" + value + ": " + rows, hit == null);
                hit = r;
            }
        }
        assertNotNull("a row with " + column + "=" + value + " in " + rows, hit);
        return hit;
    }

    /** The route block as field → value. */
    private static Map<String, String> block(Out o) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Map<String, String> r : table(o)) {
            m.put(r.get("FIELD"), r.get("VALUE"));
        }
        return m;
    }

    private Map<String, String> listenerRow(int port) throws Exception {
        // the port accepts a moment before the listener's service is registered and seen by the admin
        Poll.until(WAIT, "listener on port " + port + " in websocksy:listeners", () -> {
            try {
                return sh("websocksy:listeners").out.contains(" 127.0.0.1:" + port + " ");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return only(table(sh("websocksy:listeners")), "ADDRESS", "127.0.0.1:" + port);
    }

    private static void echo(WsClient c, String text) throws Exception {
        c.sendText(text);
        assertEquals(text, c.nextMessage(WAIT).string());
    }

    @Test
    public void listenersAndConnectionsShowExactCounters() throws Exception {
        TcpPeer peer = bridge.track(TcpPeer.echo());
        String backend = bridge.defaultBackend(peer.address(), "framing", "newline", "framing-config", "lf");
        int port = bridge.listener(backend);
        try (WsClient a = WsClient.connect(port, "/a"); WsClient b = WsClient.connect(port, "/b?x=1")) {
            echo(a, "hello\n");                 // 6 bytes
            echo(a, "w\u00f6rld\n");            // 7 bytes in UTF-8
            echo(b, "x\n");                     // 2 bytes
            // Bridge.listener's readiness probes were accepted too: count from here (accepts run in order)
            long acceptedBefore = Long.parseLong(listenerRow(port).get("ACCEPTED"));
            assertTrue("at least the two clients were accepted", acceptedBefore >= 2);
            RawHttp.Response bad = RawHttp.exchange(port, Request.upgrade(port).remove("Upgrade"));
            assertEquals(400, bad.status);

            Map<String, String> l = listenerRow(port);
            String name = l.get("NAME");
            assertEquals("listening", l.get("STATE"));
            assertEquals("off", l.get("TLS"));
            assertEquals(backend, l.get("BACKEND"));
            assertEquals("yes", l.get("BOUND"));
            assertEquals("2", l.get("OPEN"));
            assertEquals(Long.toString(acceptedBefore + 1), l.get("ACCEPTED"));
            assertEquals("2", l.get("UPGRADED"));
            assertEquals("1", l.get("REJECTED"));

            List<Map<String, String>> cs = table(sh("websocksy:connections -l " + name));
            assertEquals("two connections on " + name + ": " + cs, 2, cs.size());
            Map<String, String> ca = only(cs, "PATH", "/a");
            assertEquals(name, ca.get("LISTENER"));
            assertTrue(ca.get("CLIENT"), ca.get("CLIENT").startsWith("127.0.0.1:"));
            assertEquals(peer.address(), ca.get("PEER"));
            assertEquals("newline(lf)", ca.get("FRAMER"));
            assertEquals("-", ca.get("SUBPROTOCOL"));
            assertEquals("13", ca.get("UP-BYTES"));
            assertEquals("2", ca.get("UP-MSGS"));
            assertEquals("13", ca.get("DOWN-BYTES"));
            assertEquals("2", ca.get("DOWN-MSGS"));
            assertTrue(ca.get("AGE"), ca.get("AGE").matches("\\d+s|\\d+m\\d\\ds"));
            assertTrue(ca.get("IDLE"), ca.get("IDLE").matches("\\d+s"));
            Map<String, String> cb = only(cs, "PATH", "/b");
            assertEquals("2", cb.get("UP-BYTES"));
            assertEquals("1", cb.get("UP-MSGS"));
            assertEquals("2", cb.get("DOWN-BYTES"));
            assertEquals("1", cb.get("DOWN-MSGS"));

            assertEquals(2, table(sh("websocksy:connections -p 127.0.0.1:" + peer.port())).size());
            assertEquals("no connections\n", sh("websocksy:connections -p tcp://no-such-peer").out);
        }
    }

    @Test
    public void closeByIdClosesExactlyThatConnectionWithTheGivenCode() throws Exception {
        TcpPeer peer = bridge.track(TcpPeer.echo());
        int port = bridge.listener(bridge.defaultBackend(peer.address(), "framing", "newline", "framing-config", "lf"));
        try (WsClient one = WsClient.connect(port, "/one"); WsClient two = WsClient.connect(port, "/two")) {
            echo(one, "1\n");
            echo(two, "2\n");
            String name = listenerRow(port).get("NAME");
            List<Map<String, String>> cs = table(sh("websocksy:connections -l " + name));
            String idOne = only(cs, "PATH", "/one").get("ID");
            String idTwo = only(cs, "PATH", "/two").get("ID");

            Out closed = sh("websocksy:close " + idOne + " -c 1001 -r maintenance");
            assertEquals(closed.toString(), "connection " + idOne + ": sent close 1001 'maintenance'\n", closed.out);
            assertEquals("", closed.err);
            Object e = one.next(WAIT);
            assertTrue("close expected, got " + e, e instanceof Closed);
            assertEquals(1001, ((Closed) e).code);
            assertEquals("maintenance", ((Closed) e).reason);

            echo(two, "still open\n");
            Poll.until(WAIT, "connection " + idOne + " gone from the table", () -> {
                try {
                    List<Map<String, String>> now = table(sh("websocksy:connections -l " + name));
                    return now.size() == 1 && now.get(0).get("ID").equals(idTwo);
                } catch (Exception x) {
                    throw new IllegalStateException(x);
                }
            });

            Out again = sh("websocksy:close " + idOne);
            assertEquals("", again.out);
            assertEquals("websocksy:close: no open connection with id " + idOne + "\n", again.err);
            Out code = sh("websocksy:close " + idTwo + " -c 1000 -r done");
            assertEquals("connection " + idTwo + ": sent close 1000 'done'\n", code.out);
            Object e2 = two.next(WAIT);
            assertTrue("close expected, got " + e2, e2 instanceof Closed);
            assertEquals(1000, ((Closed) e2).code);
        }
    }

    @Test
    public void drainStopsNewConnectionsKeepsOldOnesAndResumeRebinds() throws Exception {
        TcpPeer peer = bridge.track(TcpPeer.echo());
        int port = bridge.listener(bridge.defaultBackend(peer.address(), "framing", "newline", "framing-config", "lf"));
        try (WsClient old = WsClient.connect(port, "/")) {
            echo(old, "before\n");
            String name = listenerRow(port).get("NAME");
            Out d = sh("websocksy:drain " + name + " -t 600");
            assertEquals("", d.err);
            assertTrue(d.out, d.out.contains("listener " + name + " no longer accepts; 1 open connections closed "
                    + "with 1001 in 600 s if still open"));
            assertFalse("new clients are refused while draining", Ports.accepts(port));
            echo(old, "during drain\n");
            Map<String, String> l = listenerRow(port);
            assertEquals("draining", l.get("STATE"));
            assertEquals("1", l.get("OPEN"));
            assertEquals("websocksy:drain: listener " + name + " is already draining (resume it first)\n",
                    sh("websocksy:drain " + name).err);

            Out r = sh("websocksy:resume " + name);
            assertEquals("", r.err);
            assertEquals("listening", only(table(r), "NAME", name).get("STATE"));
            try (WsClient fresh = WsClient.connect(port, "/")) {
                echo(fresh, "after resume\n");
                assertEquals("", sh("websocksy:drain " + name + " -t 0").err);
                for (WsClient c : new WsClient[] {old, fresh}) {
                    Object e = c.next(WAIT);
                    assertTrue("close expected, got " + e, e instanceof Closed);
                    assertEquals(1001, ((Closed) e).code);
                }
            }
            Poll.until(WAIT, "listener drained", () -> {
                try {
                    return listenerRow(port).get("STATE").equals("drained");
                } catch (Exception x) {
                    throw new IllegalStateException(x);
                }
            });
            assertEquals("", sh("websocksy:resume " + name).err);
            assertTrue(Ports.accepts(port));
        }
    }

    @Test
    public void routeDryRunMatchesWhatARealConnectionGets() throws Exception {
        TcpPeer peer = bridge.track(TcpPeer.echo());
        String backend = bridge.registerBackend(req -> {
            Route.Builder r = Route.to(PeerAddress.parse(peer.address()));
            switch (req.endpoint()) {
                case "ok":
                    return CompletableFuture.completedFuture(Optional.of(r.framer("newline").framerConfig("lf")
                            .subprotocol(req.subprotocols().contains("mqtt") ? "MQTT" : null).build()));
                case "tenant":
                    boolean known = req.cookie("session").orElse("").equals("abc")
                            && req.header("X-Tenant").isPresent() && req.query("v").orElse("").equals("2");
                    return CompletableFuture.completedFuture(known ? Optional.of(r.framer("auto").build())
                            : Optional.empty());
                case "nofr":
                    return CompletableFuture.completedFuture(Optional.of(r.framer("no-such-framer").build()));
                case "badcfg":
                    return CompletableFuture.completedFuture(Optional.of(r.framer("separator").framerConfig("").build()));
                default:
                    return CompletableFuture.completedFuture(Optional.empty());
            }
        });
        int port = bridge.listener(backend);
        String name = listenerRow(port).get("NAME");

        Map<String, String> ok = block(sh("websocksy:route -l " + name + " -P chat,mqtt /ok"));
        assertEquals(name, ok.get("listener"));
        assertEquals(backend, ok.get("backend"));
        assertEquals("101 Switching Protocols (would upgrade and connect the peer)", ok.get("status"));
        assertEquals(peer.address(), ok.get("peer"));
        assertEquals("newline", ok.get("framer"));
        assertEquals("lf", ok.get("framer-config"));
        assertEquals("mqtt", ok.get("subprotocol"));
        assertEquals("dry run connects nothing", 0, peer.accepted());
        try (RawWs real = RawWs.open(port, Request.upgrade(port).target("/ok").add("Sec-WebSocket-Protocol",
                "chat, mqtt"))) {
            assertEquals(101, real.handshake.status);
            assertEquals(ok.get("subprotocol"), real.handshake.header("Sec-WebSocket-Protocol"));
            Map<String, String> c = only(table(sh("websocksy:connections -l " + name)), "PATH", "/ok");
            assertEquals(ok.get("peer"), c.get("PEER"));
            assertEquals(ok.get("framer") + "(" + ok.get("framer-config") + ")", c.get("FRAMER"));
            assertEquals(ok.get("subprotocol"), c.get("SUBPROTOCOL"));
        }

        Map<String, String> tenant = block(sh("websocksy:route -l " + name + " -H 'X-Tenant: t1' -C session=abc "
                + "-C lang=de '/tenant?v=2'"));
        assertEquals("101 Switching Protocols (would upgrade and connect the peer)", tenant.get("status"));
        assertEquals("auto", tenant.get("framer"));
        Map<String, String> noCookie = block(sh("websocksy:route -l " + name + " -H 'X-Tenant: t1' '/tenant?v=2'"));
        assertEquals("404 Not Found", noCookie.get("status"));
        assertEquals("backend '" + backend + "' has no route for /tenant", noCookie.get("cause"));
        assertEquals(404, RawHttp.exchange(port, Request.upgrade(port).target("/tenant?v=2").add("X-Tenant", "t1"))
                .status);
        try (RawWs real = RawWs.open(port, Request.upgrade(port).target("/tenant?v=2").add("X-Tenant", "t1")
                .add("Cookie", "session=abc; lang=de"))) {
            assertEquals(101, real.handshake.status);
        }

        Map<String, String> nofr = block(sh("websocksy:route -l " + name + " /nofr"));
        assertEquals("503 Service Unavailable", nofr.get("status"));
        assertEquals("framer 'no-such-framer' is not installed", nofr.get("cause"));
        assertEquals("no-such-framer", nofr.get("framer"));
        assertEquals(503, RawHttp.exchange(port, Request.upgrade(port).target("/nofr")).status);

        Map<String, String> badcfg = block(sh("websocksy:route -l " + name + " /badcfg"));
        assertEquals("500 Internal Server Error", badcfg.get("status"));
        assertTrue(badcfg.get("cause"), badcfg.get("cause").startsWith("framer 'separator' rejects config '': "));
        assertEquals(500, RawHttp.exchange(port, Request.upgrade(port).target("/badcfg")).status);

        Map<String, String> unoffered = block(sh("websocksy:route -b " + backend + " /ok"));
        assertEquals("-", unoffered.get("listener"));
        assertEquals("101 Switching Protocols (would upgrade and connect the peer)", unoffered.get("status"));
        assertEquals("-", unoffered.get("subprotocol"));

        Map<String, String> noBackend = block(sh("websocksy:route -b no-such-backend /"));
        assertEquals("503 Service Unavailable", noBackend.get("status"));
        assertEquals("no backend named 'no-such-backend' is running", noBackend.get("cause"));

        Map<String, String> version = block(sh("websocksy:route -l " + name + " -H 'Sec-WebSocket-Version: 8' /ok"));
        assertEquals("426 Upgrade Required", version.get("status"));
        assertEquals(426, RawHttp.exchange(port, Request.upgrade(port).target("/ok").set("Sec-WebSocket-Version",
                "8")).status);
        assertEquals("only the two real upgrades reached the peer", 2, peer.acceptedSettled(2));
    }

    @Test
    public void framersAndBackendsNameTheProvidingBundleAndRanking() throws Exception {
        TcpPeer peer = bridge.track(TcpPeer.echo());
        String backend = bridge.defaultBackend(peer.address());
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Framer.NAME, "auto");
        props.put(Constants.SERVICE_RANKING, -7);
        ServiceRegistration<Framer> shadow = ctx.registerService(Framer.class,
                cfg -> buf -> buf.hasRemaining() ? Decision.binary(buf.remaining()) : Decision.needMore(), props);
        try {
            List<Map<String, String>> fs = table(sh("websocksy:framers"));
            Bundle framersBundle = bundle("io.websocksy.framers");
            Map<String, String> auto = null;
            Map<String, String> shadowed = null;
            for (Map<String, String> r : fs) {
                if (r.get("NAME").equals("auto") && r.get("STATE").equals("active")) {
                    auto = r;
                } else if (r.get("NAME").equals("auto") && r.get("STATE").equals("shadowed")) {
                    shadowed = r;
                }
            }
            assertNotNull("active auto in " + fs, auto);
            assertEquals("io.websocksy.framers", auto.get("BUNDLE"));
            assertEquals(Long.toString(framersBundle.getBundleId()), auto.get("BUNDLE-ID"));
            assertEquals(framersBundle.getVersion().toString(), auto.get("VERSION"));
            ServiceReference<?>[] autoRefs = ctx.getServiceReferences(Framer.class.getName(),
                    "(&(" + Framer.NAME + "=auto)(!(" + Constants.SERVICE_RANKING + "=-7)))");
            assertEquals(autoRefs[0].getProperty(Constants.SERVICE_ID).toString(), auto.get("SERVICE-ID"));
            assertNotNull("shadowed auto in " + fs, shadowed);
            assertEquals("-7", shadowed.get("RANKING"));
            assertEquals(shadow.getReference().getProperty(Constants.SERVICE_ID).toString(), shadowed.get("SERVICE-ID"));
            assertEquals(ctx.getBundle().getSymbolicName(), shadowed.get("BUNDLE"));
            only(fs, "NAME", "newline");

            Map<String, String> be = only(table(sh("websocksy:backends")), "NAME", backend);
            assertEquals("active", be.get("STATE"));
            assertEquals("io.websocksy.backend.default", be.get("BUNDLE"));
            assertEquals(Long.toString(bundle("io.websocksy.backend.default").getBundleId()), be.get("BUNDLE-ID"));
        } finally {
            shadow.unregister();
        }
    }

    @Test
    public void badArgumentsPrintOneLineAndTheUsageNeverAStackTrace() throws Exception {
        String[][] cases = {
            {"websocksy:close abc", "websocksy:close: bad connection id 'abc' (expected a whole number)",
                "usage: websocksy:close <id> [-c 1000|1001|1008|3000-4999] [-r <reason>]"},
            {"websocksy:close 1 -c 1006", "websocksy:close: close code 1006 may not be sent (1000, 1001, 1008 or "
                + "3000-4999)", "usage: websocksy:close <id> [-c 1000|1001|1008|3000-4999] [-r <reason>]"},
            {"websocksy:connections -x", "websocksy:connections: unknown option -x",
                "usage: websocksy:connections [-l <listener>] [-p <peer-substring>]"},
            {"websocksy:drain", "websocksy:drain: missing argument",
                "usage: websocksy:drain <listener> [-t <seconds, default 30; 0 = close now>]"},
            {"websocksy:route no-slash", "websocksy:route: path must start with '/', got 'no-slash'",
                "usage: websocksy:route [-l <listener> | -b <backend>] [-H 'Name: value']... [-C name=value]... "
                + "[-P <subprotocol>]... <path[?query]>"},
        };
        for (String[] c : cases) {
            Out o = sh(c[0]);
            assertEquals(c[0] + " prints nothing on stdout", "", o.out);
            assertEquals(c[0], c[1] + "\n" + c[2] + "\n", o.err);
        }
        Out unknown = sh("websocksy:drain no-such-listener");
        assertTrue(unknown.err, unknown.err.matches("websocksy:drain: no listener named 'no-such-listener' "
                + "\\((listeners: [^\\n]*|no listener is running)\\)\\n"));
        assertEquals("websocksy:close: no open connection with id 987654\n", sh("websocksy:close 987654").err);
        Out help = sh("websocksy:route -h");
        assertTrue(help.out, help.out.startsWith("usage: websocksy:route "));
    }

    private Bundle bundle(String bsn) {
        for (Bundle b : ctx.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + bsn);
    }
}
