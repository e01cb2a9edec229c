package io.websocksy.itests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;

import io.websocksy.itests.support.Canary;
import io.websocksy.itests.support.Chop;
import io.websocksy.itests.support.RawHttp;
import io.websocksy.itests.support.RawWs;
import io.websocksy.itests.support.Conformance;
import io.websocksy.itests.support.Fds;
import io.websocksy.itests.support.Leaks;
import io.websocksy.itests.support.RecordingPeer;
import io.websocksy.itests.support.WsFrame;

/**
 * A class of RELIABILITY catalogue cases. Every case runs through {@link #check}: while it runs a
 * canary connection does its 10 Hz echo round trips through the same bridge (INV-1); afterwards the
 * process must be back to the TCP connections it had before the case (client, bridge and peer ends
 * alike: INV-2, INV-6), Netty must report no leak at {@code paranoid} (INV-2), and the process must
 * be nearly idle (INV-3). The outcome goes into the conformance report.
 */
public abstract class ConformanceBase extends BridgeTestBase {
    /** Time the bridge gets to close everything after a case (the catalogue asks for 2 s; the machine is shared). */
    static final Duration SETTLE = Duration.ofSeconds(5);
    /**
     * Heap growth after GC allowed per case (INV-2 asks for 1 MiB; this JVM also runs Felix, the canary and
     * the test itself, so the bound catches retained buffers and connections, not noise).
     */
    static final long HEAP_SLACK = 16L << 20;

    /** A case body: runs the case, asserts the expected answer, returns what it observed. */
    @FunctionalInterface
    protected interface Body {
        String run() throws Exception;
    }

    /** The echo peer of the canary's listener; tests may route their own connections to it too. */
    protected RecordingPeer echoPeer;
    /** A listener with {@code auto} framing to {@link #echoPeer}. */
    protected int echoPort;
    protected Canary canary;
    private final List<RecordingPeer> peers = new ArrayList<>();

    /** @return extra listener keys for {@link #echoPort} */
    protected String[] echoListenerKeys() {
        return new String[0];
    }

    @Override
    protected String[] framers() {
        return new String[] {"auto", "binary"};
    }

    @Before
    public void startCanary() throws Exception {
        echoPeer = bridge.track(new RecordingPeer(true));
        echoPort = bridge.listener(bridge.defaultBackend(echoPeer.address()), echoListenerKeys());
        canary = Canary.start(echoPort);
        io.websocksy.itests.support.Poll.until(Duration.ofSeconds(15), "the canary's first round trip",
                () -> canary.roundTrips() > 0 || canary.error() != null);
        io.websocksy.itests.support.Poll.until(Duration.ofSeconds(15), "the canary's peer connection",
                () -> echoPeer.open() > 0);
        peers.add(echoPeer);
    }

    @After
    public void stopCanary() throws Exception {
        if (canary != null) {
            canary.close();
        }
    }

    @AfterClass
    public static void report() {
        Conformance.writeReport();
    }

    /** Registers a recording peer whose connections must all end after each case (INV-6). */
    protected RecordingPeer peer(boolean echo) throws Exception {
        RecordingPeer p = bridge.track(new RecordingPeer(echo));
        peers.add(p);
        return p;
    }

    private int openPeerConns() {
        int n = 0;
        for (RecordingPeer p : peers) {
            n += p.open();
        }
        return n;
    }

    /**
     * Runs one catalogue case and records it.
     *
     * @param id case ID, e.g. {@code F7}
     * @param description the input, short
     * @param expected the expected answer
     * @param body the case
     */
    protected void check(String id, String description, String expected, Body body) throws Exception {
        String test = getClass().getSimpleName() + "." + caller();
        long t0 = System.nanoTime();
        int connsBefore = Fds.tcpConnections();
        int peerConnsBefore = openPeerConns();
        int registryBefore = registryCount();
        long heapBefore = usedHeapAfterGc();
        String got = null;
        try {
            got = body.run();
            String inv = invariants(connsBefore, peerConnsBefore, registryBefore, heapBefore);
            got = (got == null ? "" : got + "; ") + inv;
            Conformance.record(id, description, expected, got, true, test, (System.nanoTime() - t0) / 1_000_000);
        } catch (Throwable t) {
            String msg = (got == null ? "" : got + "; ") + t;
            Conformance.record(id, description, expected, msg, false, test, (System.nanoTime() - t0) / 1_000_000);
            throw t;
        }
    }

    /**
     * @return live connections in the bridge's registry (the {@code BridgeAdmin} service), or -1 when the
     *     service is not there
     */
    private int registryCount() {
        try {
            org.osgi.framework.ServiceReference<io.websocksy.api.admin.BridgeAdmin> ref =
                    ctx.getServiceReference(io.websocksy.api.admin.BridgeAdmin.class);
            if (ref == null) {
                return -1;
            }
            io.websocksy.api.admin.BridgeAdmin admin = ctx.getService(ref);
            try {
                return admin == null ? -1 : admin.connections().size();
            } finally {
                ctx.ungetService(ref);
            }
        } catch (NoClassDefFoundError | RuntimeException e) {
            return -1;
        }
    }

    /** @return used heap after three full GCs (INV-2 and the heap-bound cases) */
    static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    /**
     * Opens a WebSocket to a listener whose peer is {@code rec}, the handshake written in the chop
     * mode, and puts the peer connection it made into {@code pc[0]}.
     */
    protected static RawWs openRecording(RecordingPeer rec, int port, Chop chop, RecordingPeer.Conn[] pc)
            throws Exception {
        int index = rec.countSettled();
        RawWs ws = open(port, chop);
        pc[0] = rec.conn(index, Duration.ofSeconds(10));
        return ws;
    }

    /** Sends a close 1000 and expects it answered with 1000 and a TCP close. */
    protected static void closeNormally(RawWs ws) throws Exception {
        ws.send(WsFrame.close(1000, ""));
        expectClose(ws, 1000);
    }

    private String invariants(int connsBefore, int peerConnsBefore, int registryBefore, long heapBefore)
            throws InterruptedException {
        long t0 = System.nanoTime();
        int[] now = new int[3];
        long deadline = t0 + SETTLE.toNanos();
        while (true) {
            now[0] = Fds.tcpConnections();
            now[1] = openPeerConns();
            now[2] = registryBefore < 0 ? -1 : registryCount();
            if (now[0] <= connsBefore && now[1] <= peerConnsBefore && now[2] <= registryBefore) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("INV-2/INV-6: " + now[0] + " TCP connection ends open in the process after the case, "
                        + connsBefore + " before it; " + now[1] + " peer connections not ended, " + peerConnsBefore + " before; "
                        + now[2] + " connections in the bridge's registry, " + registryBefore + " before");
            }
            Thread.sleep(20);
        }
        long settled = (System.nanoTime() - t0) / 1_000_000;
        if (canary.error() != null) {
            throw new AssertionError("INV-1: " + canary.error());
        }
        Leaks.assertNone();
        long heapDelta = usedHeapAfterGc() - heapBefore;
        if (heapDelta > HEAP_SLACK) {
            throw new AssertionError("INV-2: heap after the case " + (heapDelta >> 10) + " KiB above its baseline");
        }
        // INV-3: 1 s after the case the Java threads (event loops, peers, canary) are nearly idle; a spinning
        // loop would take a whole core. JIT and GC threads are left out: they are busy after any burst of new code.
        Thread.sleep(Math.max(0, 1000 - (System.nanoTime() - t0) / 1_000_000));
        double[] cpu = new double[1];
        String busy = Fds.javaThreadsBusy(500, cpu);
        if (cpu[0] > 20) {
            throw new AssertionError("INV-3: process busy after the case: " + busy);
        }
        if (canary.error() != null) {
            throw new AssertionError("INV-1: " + canary.error());
        }
        return String.format("settled in %d ms (registry %s); heap %+d KiB; canary %d RTs, p99 %.1f ms; Java threads"
                + " after: %.0f %% cpu", settled, registryBefore < 0 ? "n/a" : "back to " + now[2], heapDelta >> 10,
                canary.roundTrips(), canary.p99Millis(), cpu[0]);
    }

    /** Opens a WebSocket to 127.0.0.1:port, the handshake written in the chop mode. */
    protected static RawWs open(int port, Chop chop) throws java.io.IOException {
        return RawWs.open(port, RawHttp.Request.upgrade(port), chop, port);
    }

    /**
     * Reads until the server's close and asserts its code (any of {@code codes}), that TCP closes
     * within 2 s after it, and INV-5 (close payload shape, no 1005/1006/1015, nothing after it).
     *
     * @return a short description of what came
     */
    protected static RawWs.Outcome expectClose(RawWs ws, int... codes) throws java.io.IOException {
        RawWs.Outcome o = ws.awaitClose(10_000, 2_000);
        boolean match = false;
        for (int c : codes) {
            match |= o.code() == c;
        }
        if (!match) {
            throw new AssertionError("expected close " + java.util.Arrays.toString(codes) + ", got " + o);
        }
        if (!o.violations.isEmpty()) {
            throw new AssertionError("INV-5: " + o);
        }
        if (!o.tcpClosed) {
            throw new AssertionError("server did not close TCP within 2 s after its close frame: " + o);
        }
        return o;
    }

    /** Asserts what a recording peer connection received, and that it ended (EOF or reset). */
    protected static void assertPeerGot(RecordingPeer.Conn c, byte[] expected) throws InterruptedException {
        if (!c.awaitEnd(SETTLE)) {
            throw new AssertionError("INV-6: peer connection not closed within " + SETTLE.toMillis() + " ms");
        }
        byte[] got = c.received();
        if (!java.util.Arrays.equals(expected, got)) {
            throw new AssertionError("peer received " + got.length + " bytes '" + printable(got) + "', expected "
                    + expected.length + " bytes '" + printable(expected) + "'");
        }
        if (got.length >= 1 << 20) {
            c.discard(); // checked: megabytes kept by the test's peer would count against INV-2
        }
    }

    static String printable(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 60); i++) {
            int c = b[i] & 0xff;
            sb.append(c >= 32 && c < 127 ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return sb.append(b.length > 60 ? "..." : "").toString();
    }

    protected static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String caller() {
        StackTraceElement[] st = new Throwable().getStackTrace();
        for (StackTraceElement e : st) {
            if (!e.getClassName().equals(ConformanceBase.class.getName())) {
                return e.getMethodName();
            }
        }
        return "?";
    }
}
