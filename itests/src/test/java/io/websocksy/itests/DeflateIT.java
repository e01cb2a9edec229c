package io.websocksy.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.websocksy.itests.support.Chop;
import io.websocksy.itests.support.RawHttp.Request;
import io.websocksy.itests.support.RawWs;
import io.websocksy.itests.support.RecordingPeer;
import io.websocksy.itests.support.WsFrame;

/**
 * permessage-deflate (RFC 7692, issue 18), conformance group Z, in the manner of Autobahn 12.x/13.x:
 * negotiation with every parameter, bad offers, compressed messages in one frame and split over many,
 * with context takeover, both directions, RSV1 misuse, a bomb with the bridge's heap measured, and the
 * inflated limits.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DeflateIT extends ConformanceBase {
    static final String EXT = "Sec-WebSocket-Extensions";

    @Override
    protected String[] echoListenerKeys() {
        return new String[] {"compression", "on"};
    }

    static RawWs offer(int port, String offer) throws Exception {
        return RawWs.open(port, Request.upgrade(port).add(EXT, offer));
    }

    /** RFC 7692 7.2.1: deflate with SYNC_FLUSH, drop the trailing 00 00 FF FF. */
    static byte[] compress(Deflater d, byte[] msg) {
        d.setInput(msg);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        int n;
        do {
            n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
            out.write(buf, 0, n);
        } while (n == buf.length);
        byte[] z = out.toByteArray();
        return Arrays.copyOf(z, z.length - 4);
    }

    static byte[] inflate(Inflater inf, byte[] z) throws Exception {
        byte[] in = Arrays.copyOf(z, z.length + 4);
        in[z.length + 2] = (byte) 0xFF;
        in[z.length + 3] = (byte) 0xFF;
        inf.setInput(in);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = inf.inflate(buf)) > 0 || !inf.needsInput()) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /**
     * Reads echoed messages until {@code expected} payload bytes came (an {@code auto}-framed echo peer may
     * split a message where its reads end), inflating the compressed ones with {@code inf}.
     *
     * @param wire adds [compressed bytes on the wire, compressed messages, plain messages]
     */
    static byte[] readEcho(RawWs ws, Inflater inf, int expected, long[] wire) throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        while (got.size() < expected) {
            RawWs.Frame f = ws.read(10_000);
            assertTrue("a whole message: " + f, f.fin && (f.opcode == RawWs.TEXT || f.opcode == RawWs.BINARY));
            byte[] p = f.rsv == 4 ? inflate(inf, f.payload) : f.payload;
            assertTrue("RSV " + f.rsv, f.rsv == 0 || f.rsv == 4);
            wire[0] += f.payload.length;
            wire[f.rsv == 4 ? 1 : 2]++;
            got.write(p, 0, p.length);
        }
        return got.toByteArray();
    }

    /** A compressed payload as frames of {@code size} bytes: RSV1 and the opcode on the first only. */
    static byte[] frames(int opcode, byte[] z, int size) {
        List<WsFrame> fs = new ArrayList<>();
        int n = Math.max(1, (z.length + size - 1) / size);
        for (int i = 0; i < n; i++) {
            byte[] part = Arrays.copyOfRange(z, i * size, Math.min(z.length, (i + 1) * size));
            WsFrame f = (i == 0 ? WsFrame.of(opcode).rsv(4) : WsFrame.of(WsFrame.CONT)).payload(part).fin(i == n - 1);
            fs.add(f);
        }
        return WsFrame.concat(fs.toArray(new WsFrame[0]));
    }

    static byte[] json(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < n; i++) {
            sb.append("{\"sensor\":\"t").append(i % 17).append("\",\"value\":").append(i * 7 % 1000)
                    .append(",\"unit\":\"°C\",\"ok\":true}\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    public void z1_negotiationAnswersWhatIsUsed() throws Exception {
        check("Z1", "permessage-deflate offers: plain, client_max_window_bits (Chromium), =10, server_max_window_bits=10,"
                + " server_/client_no_context_takeover, a listener with compression-window-bits 9 and no context takeover,"
                + " a listener with compression off", "101 with exactly the parameters the server uses", () -> {
            int small = bridge.listener(bridge.defaultBackend(echoPeer.address()), "compression", "on",
                    "compression-window-bits", "9", "compression-no-context-takeover", "true");
            int off = bridge.listener(bridge.defaultBackend(echoPeer.address()));
            Object[][] cases = {
                {echoPort, "permessage-deflate", "permessage-deflate"},
                {echoPort, "permessage-deflate; client_max_window_bits", "permessage-deflate"},
                {echoPort, "permessage-deflate; client_max_window_bits=10", "permessage-deflate"},
                {echoPort, "permessage-deflate; server_max_window_bits=10", "permessage-deflate; server_max_window_bits=10"},
                {echoPort, "permessage-deflate; server_no_context_takeover", "permessage-deflate; server_no_context_takeover"},
                {echoPort, "permessage-deflate; client_no_context_takeover", "permessage-deflate; client_no_context_takeover"},
                {echoPort, "x-webkit-deflate-frame, permessage-deflate; client_max_window_bits=abc, permessage-deflate; "
                        + "server_max_window_bits=12; client_max_window_bits", "permessage-deflate; server_max_window_bits=12"},
                {small, "permessage-deflate; client_max_window_bits",
                    "permessage-deflate; server_no_context_takeover; client_no_context_takeover"},
                {small, "permessage-deflate; server_max_window_bits=12",
                    "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=9"},
                {off, "permessage-deflate", null},
            };
            for (Object[] c : cases) {
                try (RawWs ws = offer((Integer) c[0], (String) c[1])) {
                    assertEquals(c[1] + ": " + ws.handshake, c[2], ws.handshake.header(EXT));
                    // and it works: a compressed message when negotiated, a plain one otherwise
                    byte[] msg = json(3000);
                    if (c[2] != null) {
                        ws.sendHostile(frames(WsFrame.TEXT, compress(new Deflater(6, true), msg), 1 << 20), Chop.WHOLE, 0);
                    } else {
                        ws.send(WsFrame.of(WsFrame.TEXT).payload(msg));
                    }
                    long[] w = new long[3];
                    assertArrayEquals(msg, readEcho(ws, new Inflater(true), msg.length, w));
                    assertTrue(c[1] + ": echo compressed when negotiated, plain otherwise " + Arrays.toString(w),
                            c[2] != null ? w[1] > 0 : w[1] == 0);
                    closeNormally(ws);
                }
            }
            return cases.length + " offers answered as expected, each echoed a compressed (or plain) message";
        });
    }

    @Test
    public void z2_badOffersAreDeclined() throws Exception {
        check("Z2", "bad offers: client_max_window_bits=abc (netty#13896), =7, =16, =08, server_max_window_bits without a"
                + " value, duplicated and unknown parameters, a value on *_no_context_takeover, an unparsable header",
                "101 without Sec-WebSocket-Extensions, the connection works uncompressed, an RSV1 frame then gets 1002", () -> {
            String[] offers = {"permessage-deflate; client_max_window_bits=abc", "permessage-deflate; client_max_window_bits=7",
                "permessage-deflate; client_max_window_bits=16", "permessage-deflate; client_max_window_bits=08",
                "permessage-deflate; server_max_window_bits", "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
                "permessage-deflate; client_max_window_bits; client_max_window_bits", "permessage-deflate; foo=1",
                "permessage-deflate; server_no_context_takeover=yes", "permessage-deflate; =\"", "permessage-deflate;;"};
            for (String o : offers) {
                try (RawWs ws = offer(echoPort, o)) {
                    assertNull(o + ": " + ws.handshake, ws.handshake.header(EXT));
                    ws.send(WsFrame.text("plain still works"));
                    RawWs.Frame back = ws.read(10_000);
                    assertEquals(0, back.rsv);
                    assertArrayEquals(ascii("plain still works"), back.payload);
                    ws.sendHostile(frames(WsFrame.TEXT, compress(new Deflater(6, true), json(200)), 1 << 20), Chop.WHOLE, 0);
                    expectClose(ws, 1002);
                }
            }
            return offers.length + " offers declined; echo uncompressed; RSV1 then 1002";
        });
    }

    @Test
    public void z3_compressedMessagesOneAndManyFramesWithContextTakeover() throws Exception {
        check("Z3", "compressed text and binary messages with context takeover (Autobahn 12.x/13.x): one frame each, then"
                + " each split over 1-byte, 7-byte and 1000-byte frames, sent whole, octet by octet and in random segments",
                "the peer receives every message inflated, in order", () -> {
            RecordingPeer rec = peer(false);
            int port = bridge.listener(bridge.defaultBackend(rec.address()), "compression", "on");
            String got = "";
            for (Chop chop : Chop.values()) {
                for (int size : new int[] {1 << 20, 1, 7, 1000}) {
                    if (chop == Chop.OCTETS && size != 7) {
                        continue; // octet by octet: one split is enough (the machine is shared)
                    }
                    RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
                    int index = rec.count();
                    try (RawWs ws = RawWs.open(port, Request.upgrade(port).add(EXT, "permessage-deflate; client_max_window_bits"),
                            Chop.WHOLE, 1)) {
                        pc[0] = rec.conn(index, java.time.Duration.ofSeconds(10));
                        assertEquals("permessage-deflate", ws.handshake.header(EXT));
                        Deflater d = new Deflater(9, true);
                        ByteArrayOutputStream expected = new ByteArrayOutputStream();
                        ByteArrayOutputStream wire = new ByteArrayOutputStream();
                        for (int m = 0; m < 5; m++) {
                            byte[] msg = m % 2 == 0 ? json(500 + 700 * m) : bin(300 + 900 * m, m);
                            expected.write(msg, 0, msg.length);
                            byte[] f = frames(m % 2 == 0 ? WsFrame.TEXT : WsFrame.BINARY, compress(d, msg), size);
                            wire.write(f, 0, f.length);
                        }
                        ws.sendHostile(wire.toByteArray(), chop, size);
                        closeNormally(ws);
                        assertPeerGot(pc[0], expected.toByteArray());
                        got = "5 messages x " + (chop == Chop.OCTETS ? 1 : 4) + " splits x 3 chops inflated at the peer";
                    }
                }
            }
            return got;
        });
    }

    static byte[] bin(int n, int seed) {
        byte[] b = new byte[n];
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i % 64 < 40 ? i % 5 : r.nextInt(256));
        }
        return b;
    }

    @Test
    public void z4_peerMessagesAreCompressedAboveTheMinimum() throws Exception {
        check("Z4", "peer-to-client: 50 echoed JSON messages of 4 KiB and a 20-byte one (compression-min-size 64),"
                + " context takeover", "RSV1 on the large ones and they inflate with one client inflater; the small one"
                + " plain; bytes on the wire far below the payload", () -> {
            try (RawWs ws = offer(echoPort, "permessage-deflate; client_max_window_bits")) {
                assertEquals("permessage-deflate", ws.handshake.header(EXT));
                Inflater inf = new Inflater(true);
                Deflater d = new Deflater(6, true);
                long payload = 0;
                long[] w = new long[3];
                for (int i = 0; i < 50; i++) {
                    byte[] msg = json(4096 + i);
                    ws.sendHostile(frames(WsFrame.TEXT, compress(d, msg), 1 << 20), Chop.WHOLE, 0);
                    assertArrayEquals("message " + i, msg, readEcho(ws, inf, msg.length, w));
                    payload += msg.length;
                }
                long wire = w[0];
                assertTrue("compressed messages: " + Arrays.toString(w), w[1] >= 50);
                ws.send(WsFrame.text("twenty bytes, plain."));
                RawWs.Frame small = ws.read(10_000);
                assertEquals(0, small.rsv);
                assertEquals("twenty bytes, plain.", new String(small.payload, StandardCharsets.UTF_8));
                closeNormally(ws);
                assertTrue("compressed: " + wire + " of " + payload, wire * 4 < payload);
                return String.format("50 messages, %d payload bytes in %d bytes on the wire (%.1f %%, %d compressed / %d plain"
                        + " messages); the small one plain", payload, wire, 100.0 * wire / payload, w[1], w[2]);
            }
        });
    }

    @Test
    public void z5_rsv1OnContinuationOrControlIs1002() throws Exception {
        check("Z5", "with permessage-deflate negotiated: RSV1 on a continuation frame (RFC 7692 6.1), on a ping, on a"
                + " close; RSV2 on a text frame", "close 1002, nothing forwarded", () -> {
            RecordingPeer rec = peer(false);
            int port = bridge.listener(bridge.defaultBackend(rec.address()), "compression", "on");
            byte[] z = compress(new Deflater(6, true), json(1000));
            byte[][] bad = {
                WsFrame.concat(WsFrame.of(WsFrame.TEXT).rsv(4).payload(Arrays.copyOf(z, 10)).fin(false),
                    WsFrame.of(WsFrame.CONT).rsv(4).payload(Arrays.copyOfRange(z, 10, z.length))),
                WsFrame.of(WsFrame.PING).rsv(4).payload(new byte[] {0}).bytes(),
                WsFrame.close(1000, "").rsv(4).bytes(),
                WsFrame.of(WsFrame.TEXT).rsv(2).payload(z).bytes()};
            for (byte[] b : bad) {
                RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
                int index = rec.count();
                try (RawWs ws = RawWs.open(port, Request.upgrade(port).add(EXT, "permessage-deflate"), Chop.WHOLE, 1)) {
                    pc[0] = rec.conn(index, java.time.Duration.ofSeconds(10));
                    ws.sendHostile(b, Chop.WHOLE, 0);
                    expectClose(ws, 1002);
                    assertPeerGot(pc[0], new byte[0]);
                }
            }
            return bad.length + " cases: 1002 each, the peer got nothing";
        });
    }

    /** Bytes allocated so far by the bridge's event-loop threads (every allocation, garbage included). */
    static long ioThreadsAllocated() {
        com.sun.management.ThreadMXBean t = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (java.lang.management.ThreadInfo i : t.getThreadInfo(t.getAllThreadIds())) {
            if (i != null && i.getThreadName().startsWith("websocksy-io")) {
                sum += t.getThreadAllocatedBytes(i.getThreadId());
            }
        }
        return sum;
    }

    @Test
    public void z6_bombIsStoppedAtTheInflatedLimit() throws Exception {
        check("Z6", "bomb: 1 GiB of zeros deflated to about 1 MiB, as 1 KiB frames (each inflating to about 1 MiB) and as"
                + " one frame to a listener with max-frame-size 2 MiB; max-message-size 1 MiB", "close 1009 once the inflated"
                + " bytes pass 1 MiB; at most 1 MiB reaches the peer; the bridge's heap allocation measured", () -> {
            Deflater d = new Deflater(9, true);
            byte[] zeros = new byte[1 << 20];
            ByteArrayOutputStream zb = new ByteArrayOutputStream();
            byte[] buf = new byte[65536];
            for (int i = 0; i < 1024; i++) {
                d.setInput(zeros);
                while (!d.needsInput()) {
                    zb.write(buf, 0, d.deflate(buf));
                }
            }
            int n;
            do {
                n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
                zb.write(buf, 0, n);
            } while (n == buf.length);
            byte[] z = Arrays.copyOf(zb.toByteArray(), zb.size() - 4);
            RecordingPeer rec = peer(false);
            int port = bridge.listener(bridge.defaultBackend(rec.address()), "compression", "on", "max-frame-size", "2097152",
                    "max-message-size", "1048576");
            StringBuilder got = new StringBuilder("bomb " + (z.length >> 10) + " KiB compressed");
            for (int size : new int[] {1024, z.length}) {
                RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
                int index = rec.count();
                try (RawWs ws = RawWs.open(port, Request.upgrade(port).add(EXT, "permessage-deflate"), Chop.WHOLE, 1)) {
                    pc[0] = rec.conn(index, java.time.Duration.ofSeconds(10));
                    byte[] wire = frames(WsFrame.BINARY, z, size);
                    long heapBefore = usedHeapAfterGc();
                    long allocBefore = ioThreadsAllocated();
                    try {
                        ws.sendRaw(wire, Chop.WHOLE, 0);
                    } catch (java.io.IOException closedWhileSending) {
                        // the bridge closes after its 1009 while the rest is still being written
                    }
                    RawWs.Outcome o = ws.awaitClose(10_000, 2_000);
                    long alloc = ioThreadsAllocated() - allocBefore;
                    assertEquals("1009: " + o, 1009, o.code());
                    assertTrue(pc[0].awaitEnd(SETTLE));
                    int forwarded = pc[0].size();
                    pc[0].discard(); // the test's recording peer holds what it got on the heap
                    long retained = usedHeapAfterGc() - heapBefore;
                    assertTrue("at most the limit reached the peer: " + forwarded, forwarded <= 1 << 20);
                    // paranoid leak records (a stack trace per buffer access) are most of the allocation counted here;
                    // the unit test (DeflatePipelineTest) measures 9-30 KiB without them
                    assertTrue("bridge heap allocated during the bomb: " + alloc, alloc < 16L << 20);
                    got.append(String.format("; %s frames: 1009, %d B forwarded, bridge threads allocated %d KiB (leak"
                            + " detector paranoid), heap after GC %+d KiB", size == 1024 ? "1 KiB" : "one", forwarded,
                            alloc >> 10, retained >> 10));
                }
            }
            return got.toString();
        });
    }

    @Test
    public void z7_inflatedLimitsAndBadInflatedData() throws Exception {
        check("Z7", "max-frame-size 64 KiB: a binary and a text frame of a few hundred compressed bytes that inflate to"
                + " 64 KiB + 1; data that does not inflate; text that is not UTF-8 once inflated; 64 KiB exactly",
                "1009 (at most 64 KiB of the binary one at the peer, nothing of the text one), 1007, 1007; the last passes", () -> {
            RecordingPeer rec = peer(false);
            int port = bridge.listener(bridge.defaultBackend(rec.address()), "compression", "on", "max-frame-size", "65536");
            byte[] spaces = new byte[65537];
            Arrays.fill(spaces, (byte) ' ');
            // {wire, close code, most bytes the peer may get}: a binary frame's inflated bytes go on 32 KiB at a
            // time (like an uncompressed binary frame's pieces), a text frame's only once it is whole and valid
            Object[][] cases = {
                {frames(WsFrame.BINARY, compress(new Deflater(6, true), new byte[65537]), 1 << 20), 1009, 65536},
                {frames(WsFrame.TEXT, compress(new Deflater(6, true), spaces), 1 << 20), 1009, 0},
                {frames(WsFrame.BINARY, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1, 2}, 1 << 20), 1007, 0},
                {frames(WsFrame.TEXT, compress(new Deflater(6, true), new byte[] {'a', (byte) 0xC3, 0x28}), 1 << 20), 1007, 0}};
            StringBuilder got = new StringBuilder();
            for (Object[] c : cases) {
                RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
                int index = rec.count();
                try (RawWs ws = RawWs.open(port, Request.upgrade(port).add(EXT, "permessage-deflate"), Chop.WHOLE, 1)) {
                    pc[0] = rec.conn(index, java.time.Duration.ofSeconds(10));
                    ws.sendHostile((byte[]) c[0], Chop.WHOLE, 0);
                    got.append(expectClose(ws, (Integer) c[1]).code());
                    assertTrue(pc[0].awaitEnd(SETTLE));
                    assertTrue("peer got " + pc[0].size(), pc[0].size() <= (Integer) c[2]);
                    got.append(" (peer got ").append(pc[0].size()).append(" B) ");
                }
            }
            // and exactly at the limit it passes
            RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
            int index = rec.count();
            try (RawWs ws = RawWs.open(port, Request.upgrade(port).add(EXT, "permessage-deflate"), Chop.WHOLE, 1)) {
                pc[0] = rec.conn(index, java.time.Duration.ofSeconds(10));
                ws.sendHostile(frames(WsFrame.BINARY, compress(new Deflater(6, true), new byte[65536]), 1 << 20), Chop.WHOLE, 0);
                closeNormally(ws);
                assertPeerGot(pc[0], new byte[65536]);
            }
            return "closes " + got + "; 64 KiB exactly passes";
        });
    }
}
