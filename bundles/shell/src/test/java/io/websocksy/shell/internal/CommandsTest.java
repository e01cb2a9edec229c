package io.websocksy.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.websocksy.api.admin.BridgeAdmin;
import io.websocksy.api.admin.BridgeMetrics;
import io.websocksy.api.admin.ConnectionInfo;
import io.websocksy.api.admin.DryRunRequest;
import io.websocksy.api.admin.DryRunResult;
import io.websocksy.api.admin.ListenerInfo;
import io.websocksy.api.admin.ServiceInfo;
import io.websocksy.api.backend.Route;
import io.websocksy.api.peer.PeerAddress;

/** The commands run through Gogo's real command processor, against a recording BridgeAdmin. */
class CommandsTest {
    private ThreadIOImpl tio;
    private CommandProcessorImpl processor;
    private final Fake admin = new Fake();

    /** A BridgeAdmin that records calls and answers fixed snapshots. */
    static final class Fake implements BridgeAdmin {
        final List<String> calls = new ArrayList<>();
        DryRunRequest lastDryRun;
        final Route route = Route.to(PeerAddress.parse("tcp://10.0.0.5:5900")).framer("newline").framerConfig("lf")
                .subprotocol("mqtt").build();

        @Override
        public List<ListenerInfo> listeners() {
            return List.of(ListenerInfo.named("main").address("127.0.0.1:8001").backend("be", true)
                    .state(ListenerInfo.State.LISTENING).counts(1, 4, 3, 1).build());
        }

        @Override
        public List<ConnectionInfo> connections() {
            return List.of(conn(7, "main", "tcp://10.0.0.5:5900"), conn(8, "other", "unix:///run/x.sock"));
        }

        private ConnectionInfo conn(long id, String listener, String peer) {
            return ConnectionInfo.withId(id).of(listener, new InetSocketAddress("127.0.0.1", 40000 + (int) id), "/vnc",
                    Route.to(PeerAddress.parse(peer)).build()).traffic(11, 2, 1234567, 3)
                    .times(Instant.now(), Duration.ofSeconds(3725), Duration.ofSeconds(4)).build();
        }

        @Override
        public Optional<ConnectionInfo> connection(long id) {
            return connections().stream().filter(c -> c.id() == id).findFirst();
        }

        @Override
        public boolean close(long id, int code, String reason) {
            calls.add("close " + id + " " + code + " " + reason);
            return id == 7;
        }

        @Override
        public ListenerInfo drain(String listener, Duration timeout) {
            calls.add("drain " + listener + " " + timeout.getSeconds());
            if (!listener.equals("main")) {
                throw new NoSuchElementException("no listener named '" + listener + "' (listeners: main)");
            }
            return ListenerInfo.named("main").address("127.0.0.1:8001").backend("be", true)
                    .state(ListenerInfo.State.DRAINING).counts(1, 4, 3, 1).build();
        }

        @Override
        public ListenerInfo resume(String listener) {
            throw new IllegalStateException("listener " + listener + " is not draining");
        }

        @Override
        public List<ServiceInfo> framers() {
            return List.of(new ServiceInfo("auto", "io.websocksy.framers", "0.1.0.SNAPSHOT", 14, 40, 0, true),
                    new ServiceInfo("auto", "com.example.auto", "1.0.0", 30, 77, -5, false));
        }

        @Override
        public List<ServiceInfo> backends() {
            return List.of();
        }

        @Override
        public CompletionStage<DryRunResult> dryRun(DryRunRequest request) {
            lastDryRun = request;
            if (request.target().startsWith("/none")) {
                return CompletableFuture.completedFuture(DryRunResult.failed(404,
                        "backend 'be' has no route for /none", "main", "be", null));
            }
            return CompletableFuture.completedFuture(DryRunResult.upgrade("main", "be", route));
        }

        @Override
        public BridgeMetrics metrics() {
            calls.add("metrics");
            List<Long> buckets = new ArrayList<>();
            for (int i = 0; i < BridgeMetrics.DURATION_BUCKETS.size(); i++) {
                buckets.add(i < 3 ? 0L : 2L);
            }
            BridgeMetrics.Histogram h = new BridgeMetrics.Histogram(buckets, 2, 0.004);
            BridgeMetrics.Histogram none = new BridgeMetrics.Histogram(java.util.Collections.nCopies(
                    BridgeMetrics.DURATION_BUCKETS.size(), 0L), 0, 0);
            return new BridgeMetrics(List.of(new BridgeMetrics.Listener("main", 1, 5, 3, java.util.Map.of(404, 2L),
                    List.of(new BridgeMetrics.Close("1000", "client", 2)), 100, 4, 200, 6, h, h, none, 1, 0, 0)),
                    List.of(new BridgeMetrics.Backend("be", 5, 0, 2)),
                    List.of(new BridgeMetrics.Framer("newline", 6, 4, 1)));
        }
    }

    @BeforeEach
    void setUp() {
        tio = new ThreadIOImpl();
        tio.start();
        processor = new CommandProcessorImpl(tio);
        processor.addCommand("websocksy", new Commands(admin), "listeners");
        for (String f : new String[] {"connections", "close", "drain", "resume", "framers", "backends", "route",
            "names", "stats"}) {
            processor.addCommand("websocksy", new Commands(admin), f);
        }
    }

    @AfterEach
    void tearDown() {
        tio.stop();
    }

    private String[] run(String line) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandSession s = processor.createSession(new ByteArrayInputStream(new byte[0]), out, err);
        try {
            s.execute(line);
        } finally {
            s.close();
        }
        return new String[] {out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void listenersTable() throws Exception {
        String[] r = run("websocksy:listeners");
        assertEquals("NAME  STATE      ADDRESS         TLS  BACKEND  BOUND  OPEN  ACCEPTED  UPGRADED  REJECTED\n"
                + "main  listening  127.0.0.1:8001  off  be       yes       1         4         3         1\n", r[0]);
        assertEquals("", r[1]);
        assertEquals(r[0], run("listeners")[0], "unqualified names find the websocksy scope");
    }

    @Test
    void connectionsTableAndFilters() throws Exception {
        String all = run("websocksy:connections")[0];
        String[] lines = all.split("\n");
        assertEquals(3, lines.length, all);
        assertTrue(lines[0].matches("ID +LISTENER +CLIENT +PATH +PEER +FRAMER +SUBPROTOCOL +UP-BYTES +UP-MSGS"
                + " +DOWN-BYTES +DOWN-MSGS +AGE +IDLE"), lines[0]);
        assertTrue(lines[1].matches(" *7 +main +127\\.0\\.0\\.1:40007 +/vnc +tcp://10\\.0\\.0\\.5:5900 +auto +- +11 +2"
                + " +1234567 +3 +1h02m +4s"), lines[1]);
        String byListener = run("websocksy:connections -l main")[0];
        assertEquals(2, byListener.split("\n").length, byListener);
        assertTrue(byListener.split("\n")[1].trim().startsWith("7 "), byListener);
        String unix = run("websocksy:connections -p unix://")[0];
        assertEquals(2, unix.split("\n").length, unix);
        assertTrue(unix.contains("unix:///run/x.sock"), unix);
        String byPeer = run("websocksy:connections -p 10.0.0")[0];
        assertEquals(2, byPeer.split("\n").length, byPeer);
        assertTrue(byPeer.split("\n")[1].trim().startsWith("7 "), byPeer);
        assertEquals("no connections\n", run("websocksy:connections -p nothing-like-this")[0]);
        assertEquals("websocksy:connections: no listener named 'zz'\n", run("websocksy:connections -l zz")[1]);
    }

    @Test
    void closeByIdWithCodeAndReason() throws Exception {
        String[] r = run("websocksy:close 7 -c 1001 -r 'maintenance window'");
        assertEquals("connection 7: sent close 1001 'maintenance window'\n", r[0]);
        assertEquals(List.of("close 7 1001 maintenance window"), admin.calls);
        assertEquals("websocksy:close: no open connection with id 9\n", run("websocksy:close 9")[1]);
        assertEquals("close 9 1000 closed by administrator", admin.calls.get(1));
    }

    @Test
    void badArgumentsGiveOneLinePlusUsageAndNoStackTrace() throws Exception {
        assertEquals("websocksy:close: bad connection id 'abc' (expected a whole number)\n"
                + "usage: " + Commands.USAGE_CLOSE + "\n", run("websocksy:close abc")[1]);
        assertEquals("websocksy:close: close code 1006 may not be sent (1000, 1001, 1008 or 3000-4999)\n"
                + "usage: " + Commands.USAGE_CLOSE + "\n", run("websocksy:close 7 -c 1006")[1]);
        assertEquals("websocksy:close: missing argument\nusage: " + Commands.USAGE_CLOSE + "\n",
                run("websocksy:close")[1]);
        assertEquals("websocksy:listeners: unknown option -x\nusage: " + Commands.USAGE_LISTENERS + "\n",
                run("websocksy:listeners -x")[1]);
        assertEquals("websocksy:drain: timeout must not be negative, got -4\nusage: " + Commands.USAGE_DRAIN + "\n",
                run("websocksy:drain main -t -4")[1]);
        assertEquals("websocksy:route: path must start with '/', got 'vnc'\nusage: " + Commands.USAGE_ROUTE + "\n",
                run("websocksy:route vnc")[1]);
        assertEquals("websocksy:route: -H wants 'Name: value', got 'nocolon'\nusage: " + Commands.USAGE_ROUTE + "\n",
                run("websocksy:route -H nocolon /")[1]);
        assertEquals("websocksy:resume: listener main is not draining\n", run("websocksy:resume main")[1]);
        assertTrue(admin.calls.isEmpty(), admin.calls.toString());
    }

    @Test
    void drainPrintsTheListenerAndTheDefaultTimeout() throws Exception {
        String[] r = run("websocksy:drain main");
        assertTrue(r[0].contains("main  draining"), r[0]);
        assertTrue(r[0].contains("closed with 1001 in 30 s if still open"), r[0]);
        assertEquals(List.of("drain main 30"), admin.calls);
        assertEquals("websocksy:drain: no listener named 'x' (listeners: main)\n", run("websocksy:drain x -t 0")[1]);
    }

    @Test
    void framersAndBackends() throws Exception {
        String f = run("websocksy:framers")[0];
        assertEquals("NAME  STATE     RANKING  SERVICE-ID  BUNDLE                VERSION         BUNDLE-ID\n"
                + "auto  active          0          40  io.websocksy.framers  0.1.0.SNAPSHOT         14\n"
                + "auto  shadowed       -5          77  com.example.auto      1.0.0                  30\n", f);
        assertEquals("no backends\n", run("websocksy:backends")[0]);
    }

    @Test
    void routeDryRunPassesEverythingAndPrintsTheAnswer() throws Exception {
        String[] r = run("websocksy:route -l main -H 'Origin: https://a.example' -C session=abc -C lang=de "
                + "-P chat,mqtt '/vnc?token=x'");
        assertEquals("", r[1]);
        assertEquals("FIELD          VALUE\n"
                + "listener       main\n"
                + "backend        be\n"
                + "status         101 Switching Protocols (would upgrade and connect the peer)\n"
                + "peer           tcp://10.0.0.5:5900\n"
                + "framer         newline\n"
                + "framer-config  lf\n"
                + "subprotocol    mqtt\n", r[0]);
        DryRunRequest q = admin.lastDryRun;
        assertEquals("/vnc?token=x", q.target());
        assertEquals("main", q.listener().orElseThrow());
        assertEquals("Origin", q.headers().get(0).getKey());
        assertEquals("https://a.example", q.headers().get(0).getValue());
        assertEquals("abc", q.cookies().get("session"));
        assertEquals(List.of("chat", "mqtt"), q.subprotocols());

        String none = run("websocksy:route -b be /none")[0];
        assertTrue(none.contains("\nstatus    404 Not Found\n"), none);
        assertTrue(none.contains("\ncause     backend 'be' has no route for /none\n"), none);
        assertEquals("be", admin.lastDryRun.backend().orElseThrow());
        assertEquals("websocksy:route: give -l or -b, not both\nusage: " + Commands.USAGE_ROUTE + "\n",
                run("websocksy:route -l a -b b /")[1]);
    }

    @Test
    void helpAndNames() throws Exception {
        assertEquals("usage: " + Commands.USAGE_CONNECTIONS + "\n", run("websocksy:connections -h")[0]);
        Commands c = new Commands(admin);
        assertEquals(List.of("main"), c.names("listeners"));
        assertEquals(List.of("7", "8"), c.names("connections"));
        assertEquals(List.of("auto"), c.names("framers"));
        assertEquals(List.of(), c.names("bogus"));
    }

    @Test
    void withoutTheBridgeEveryCommandSaysSo() throws Exception {
        CommandProcessorImpl p = new CommandProcessorImpl(tio);
        p.addCommand("websocksy", new Commands(), "listeners");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandSession s = p.createSession(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), err);
        s.execute("websocksy:listeners");
        s.close();
        assertEquals("websocksy:listeners: the websocksy bridge is not running\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void failedListenerIsListedWithItsErrorAndNoneRunningIsSaid() {
        ListenerInfo three = ListenerInfo.named("three").address("127.0.0.1:8003").backend("main", true)
                .state(ListenerInfo.State.FAILED).counts(0, 0, 0, 0)
                .failure("/d/websocksy.listener-three.cfg (websocksy.listener~three): ping = '-1': out of range 0-86400")
                .build();
        String out = Commands.listenerTable(List.of(three));
        assertTrue(out.contains("three  failed"), out);
        assertTrue(out.contains("three failed: /d/websocksy.listener-three.cfg (websocksy.listener~three): ping = '-1': "
                + "out of range 0-86400\n"), out);
        assertTrue(out.endsWith("no listener is running: nothing is served until a configuration is corrected\n"), out);
        ListenerInfo main = ListenerInfo.named("main").address("127.0.0.1:8001").backend("main", true)
                .state(ListenerInfo.State.LISTENING).counts(0, 0, 0, 0).build();
        String both = Commands.listenerTable(List.of(main, three));
        assertTrue(both.contains("three failed: "), both);
        assertTrue(!both.contains("no listener is running"), both);
    }

    @Test
    void statsPrintsEveryCounter() throws Exception {
        String[] r = run("websocksy:stats");
        assertEquals("", r[1]);
        String out = r[0];
        for (String want : new String[] {"LISTENER main", "connections open", "rejected 404", "closed code=1000 by client",
            "bytes client->peer", "messages peer->client", "ping timeouts", "write-stall closes",
            "TLS handshake failures", "handshake (mean 2.000 ms)", "peer connect (none)", "BACKEND", "NOT-FOUND",
            "FRAMER", "newline"}) {
            assertTrue(out.contains(want), "missing '" + want + "' in:\n" + out);
        }
        String[] unknown = run("websocksy:stats -l nope");
        assertTrue(unknown[1].contains("no listener named 'nope'"), unknown[1]);
    }
}
