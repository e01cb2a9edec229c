package io.websocksy.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.Deflater;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.websocksy.itests.support.Chop;
import io.websocksy.itests.support.Poll;
import io.websocksy.itests.support.RawHttp.Request;
import io.websocksy.itests.support.RawWs;
import io.websocksy.itests.support.RecordingPeer;
import io.websocksy.itests.support.TcpPeer;
import io.websocksy.itests.support.UdpEchoPeer;
import io.websocksy.itests.support.WsFrame;

/** docs/conformance.md#l (Autobahn 9.x, 12/13 declined): size limits and memory under floods. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LimitsIT extends ConformanceBase {
    static final Duration T = Duration.ofSeconds(10);

    private RecordingPeer rec;
    private int port;

    @Override
    protected String[] framers() {
        return new String[] {"auto", "binary", "newline"};
    }

    @Before
    public void recordingListener() throws Exception {
        rec = peer(false);
        port = bridge.listener(bridge.defaultBackend(rec.address(), "framing", "binary"));
    }

    /** @return direct memory held by Netty's default (pooled) allocator, which the bridge uses */
    static long nettyDirect() {
        io.netty.buffer.ByteBufAllocator a = io.netty.buffer.ByteBufAllocator.DEFAULT;
        return a instanceof io.netty.buffer.ByteBufAllocatorMetricProvider
                ? ((io.netty.buffer.ByteBufAllocatorMetricProvider) a).metric().usedDirectMemory() : 0;
    }

    @Test
    public void l1_sixtyFourKiBMessagesAndTheLimit() throws Exception {
        check("L1", "64 KiB text and binary (9.1.1, 9.2.1); a message of exactly max-frame-size (1 MiB) and one byte more",
                "delivered intact; over the limit 1009 (16 MiB cases 9.1.6/9.2.6 excluded by the documented 1 MiB limit)", () -> {
            byte[] bin = new byte[64 << 10];
            new SplittableRandom(1).nextBytes(bin);
            byte[] text = ascii("ü".repeat(32 << 10));
            RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
            try (RawWs ws = openRecording(rec, port, Chop.WHOLE, pc)) {
                ws.send(WsFrame.of(WsFrame.TEXT).payload(text));
                ws.send(WsFrame.binary(bin));
                Poll.until(T, "128 KiB at the peer", () -> pc[0].size() >= text.length + bin.length);
                closeNormally(ws);
                byte[] both = new byte[text.length + bin.length];
                System.arraycopy(text, 0, both, 0, text.length);
                System.arraycopy(bin, 0, both, text.length, bin.length);
                assertPeerGot(pc[0], both);
            }
            byte[] max = new byte[1 << 20];
            try (RawWs ws = openRecording(rec, port, Chop.WHOLE, pc)) {
                ws.send(WsFrame.binary(max));
                Poll.until(Duration.ofSeconds(60), "1 MiB at the peer", () -> pc[0].size() >= max.length);
                closeNormally(ws);
                assertPeerGot(pc[0], max);
            }
            try (RawWs ws = openRecording(rec, port, Chop.WHOLE, pc)) {
                ws.sendHostile(WsFrame.binary(new byte[(1 << 20) + 1]).bytes(), Chop.WHOLE, 0);
                return "64 KiB text + binary intact; 1 MiB intact; 1 MiB + 1: " + expectClose(ws, 1009);
            }
        });
    }

    @Test
    public void l2_oneMiBChoppedInto64ByteWrites() throws Exception {
        check("L2", "1 MiB message written in 64-byte TCP writes (9.5, 9.6)", "delivered intact; no quadratic CPU", () -> {
            StringBuilder got = new StringBuilder();
            for (int size : new int[] {256 << 10, 1 << 20}) {
                byte[] msg = new byte[size];
                new SplittableRandom(2).nextBytes(msg);
                RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
                try (RawWs ws = openRecording(rec, port, Chop.WHOLE, pc)) {
                    byte[] f = WsFrame.binary(msg).bytes();
                    long t0 = System.nanoTime();
                    OutputStream out = ws.socket().getOutputStream();
                    for (int off = 0; off < f.length; off += 64) {
                        out.write(f, off, Math.min(64, f.length - off));
                        out.flush();
                    }
                    Poll.until(Duration.ofSeconds(60), "message at the peer", () -> pc[0].size() >= size);
                    got.append(size >> 10).append(" KiB in ").append((System.nanoTime() - t0) / 1_000_000).append(" ms. ");
                    closeNormally(ws);
                    assertPeerGot(pc[0], msg);
                }
            }
            return got.append("(time grows about linearly with size)").toString();
        });
    }

    @Test
    public void l3_thousandConnectionsDeclaringOneGiBFrames() throws Exception {
        check("L3", "1000 connections each declaring a 1 GiB frame, then trickling payload bytes",
                "each gets 1009 at the header; heap flat", () -> {
            long heap0 = usedHeapAfterGc();
            List<RawWs> all = new ArrayList<>();
            try {
                for (int i = 0; i < 1000; i++) {
                    all.add(RawWs.open(port, Request.upgrade(port)));
                }
                byte[] header = WsFrame.binary(new byte[0]).declaredLength(1L << 30).bytes();
                for (RawWs ws : all) {
                    ws.sendHostile(header, Chop.WHOLE, 0);
                    ws.sendHostile(new byte[] {1, 2, 3}, Chop.WHOLE, 0);
                }
                long heap1 = usedHeapAfterGc();
                for (RawWs ws : all) {
                    expectClose(ws, 1009);
                }
                long growth = (heap1 - heap0) >> 20;
                assertTrue("heap grew by " + growth + " MiB with 1000 connections open", growth < 128);
                return "1000 x close 1009; heap with all 1000 open: +" + growth + " MiB";
            } finally {
                for (RawWs ws : all) {
                    ws.close();
                }
            }
        });
    }

    @Test
    public void l4_aggregatedMessageOverMaxMessageGets1009() throws Exception {
        check("L4", "UDP peer (messages held whole), max-message-size 4096: 5000 bytes in 3 fragments; in one frame",
                "1009, not a bare close", () -> {
            UdpEchoPeer udp = bridge.track(new UdpEchoPeer());
            int p = bridge.listener(bridge.defaultBackend(udp.address(), "framing", "binary"), "max-message-size", "4096");
            String got;
            try (RawWs ws = open(p, Chop.WHOLE)) {
                ws.sendHostile(WsFrame.concat(WsFrame.binary(new byte[2000]).fin(false),
                        WsFrame.of(WsFrame.CONT).payload(new byte[2000]).fin(false),
                        WsFrame.of(WsFrame.CONT).payload(new byte[1000])), Chop.WHOLE, 0);
                got = "fragments: " + expectClose(ws, 1009);
            }
            try (RawWs ws = open(p, Chop.WHOLE)) {
                ws.sendHostile(WsFrame.binary(new byte[5000]).bytes(), Chop.WHOLE, 0);
                got += "; one frame: " + expectClose(ws, 1009);
            }
            try (RawWs ws = open(p, Chop.WHOLE)) {
                ws.send(WsFrame.binary(new byte[4096]));
                assertEquals("4096 bytes fit", 4096, ws.read(10_000).payload.length);
                closeNormally(ws);
            }
            return got + "; exactly 4096: echoed";
        });
    }

    @Test
    public void l5_peerFrameWithoutDelimiterGets1009() throws Exception {
        check("L5", "newline framing, the peer sends 1 MiB without a newline; max-message-size 64 KiB",
                "close 1009 at max-message-size; the peer is closed", () -> {
            java.util.concurrent.CountDownLatch peerDone = new java.util.concurrent.CountDownLatch(1);
            TcpPeer p = bridge.track(new TcpPeer(s -> {
                try {
                    OutputStream out = s.getOutputStream();
                    byte[] chunk = ascii("a".repeat(8192));
                    for (int i = 0; i < 128; i++) {
                        out.write(chunk);
                    }
                    out.flush();
                    s.getInputStream().readAllBytes();
                } catch (java.io.IOException e) {
                    // closed by the bridge mid-write: expected
                } finally {
                    peerDone.countDown();
                }
            }));
            int lp = bridge.listener(bridge.defaultBackend(p.address(), "framing", "newline", "framing-config", "lf"),
                    "max-message-size", "65536");
            try (RawWs ws = open(lp, Chop.WHOLE)) {
                RawWs.Outcome o = expectClose(ws, 1009);
                assertTrue("no message before the close: " + o, o.before.isEmpty());
                assertTrue("peer closed", peerDone.await(5, java.util.concurrent.TimeUnit.SECONDS));
                return o + "; peer closed";
            }
        });
    }

    @Test
    public void l6_compressedFramesAreRejectedWithoutInflating() throws Exception {
        check("L6", "permessage-deflate zip bomb (100 MiB of zeros deflated to ~100 KiB) as RSV1 frames, whole and in"
                + " 1-byte continuations", "compression is never negotiated here: 1002 at the first RSV1 frame, nothing"
                + " inflated or forwarded", () -> {
            Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
            byte[] zeros = new byte[1 << 20];
            ByteArrayOutputStream z = new ByteArrayOutputStream();
            byte[] buf = new byte[65536];
            for (int i = 0; i < 100; i++) {
                d.setInput(zeros);
                while (!d.needsInput()) {
                    z.write(buf, 0, d.deflate(buf));
                }
            }
            d.finish();
            while (!d.finished()) {
                z.write(buf, 0, d.deflate(buf));
            }
            byte[] bomb = z.toByteArray();
            String got = "bomb " + (bomb.length >> 10) + " KiB";
            RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
            try (RawWs ws = openRecording(rec, port, Chop.WHOLE, pc)) {
                ws.sendHostile(WsFrame.binary(bomb).rsv(4).bytes(), Chop.WHOLE, 0);
                got += "; whole: " + expectClose(ws, 1002);
                assertPeerGot(pc[0], new byte[0]);
            }
            try (RawWs ws = openRecording(rec, port, Chop.WHOLE, pc)) {
                ws.sendHostile(WsFrame.concat(WsFrame.binary(new byte[] {bomb[0]}).rsv(4).fin(false),
                        WsFrame.of(WsFrame.CONT).payload(new byte[] {bomb[1]}).fin(false)), Chop.WHOLE, 0);
                got += "; 1-byte continuations: " + expectClose(ws, 1002);
                assertPeerGot(pc[0], new byte[0]);
            }
            return got;
        });
    }

    @Test
    public void l7_deflateParametersAreDeclined() throws Exception {
        check("L7", "permessage-deflate offers with client_max_window_bits=7, =16, =abc, duplicated parameters",
                "extension declined (101 without it); no exception escapes", () -> {
            String[] offers = {"permessage-deflate; client_max_window_bits=7", "permessage-deflate; client_max_window_bits=16",
                "permessage-deflate; client_max_window_bits=abc",
                "permessage-deflate; server_no_context_takeover; server_no_context_takeover"};
            for (String offer : offers) {
                try (RawWs ws = RawWs.open(echoPort, Request.upgrade(echoPort).add("Sec-WebSocket-Extensions", offer))) {
                    assertNull(offer + ": " + ws.handshake, ws.handshake.header("Sec-WebSocket-Extensions"));
                    ws.send(WsFrame.text("still works"));
                    assertArrayEquals(ascii("still works"), ws.read(10_000).payload);
                    closeNormally(ws);
                }
            }
            return offers.length + " offers: 101 without Sec-WebSocket-Extensions, echo works";
        });
    }

    @Test
    public void l8_pingFloodFromANonReadingClientStaysBounded() throws Exception {
        check("L8", "10^5 pings of 125 bytes while the client never reads (4 KiB receive buffer); write-timeout 3 s",
                "server outbound memory for the connection stays below ~1 MiB (pongs coalesced); closed after"
                + " write-timeout; INV-1 holds", () -> {
            int p = bridge.listener(bridge.defaultBackend(rec.address(), "framing", "binary"), "write-timeout", "3");
            long direct0 = nettyDirect();
            long heap0 = usedHeapAfterGc();
            java.net.Socket s = new java.net.Socket();
            s.setReceiveBufferSize(4096);
            s.connect(new java.net.InetSocketAddress(io.websocksy.itests.support.Ports.LOOPBACK, p), 2000);
            s.setSoTimeout(10_000);
            long maxDirect = 0;
            int sent = 0;
            try {
                s.getOutputStream().write(Request.upgrade(p).bytes());
                io.websocksy.itests.support.RawHttp.readHead(s.getInputStream());
                byte[] ping = WsFrame.of(WsFrame.PING).payload(new byte[125]).bytes();
                byte[] batch = new byte[ping.length * 1000];
                for (int i = 0; i < 1000; i++) {
                    System.arraycopy(ping, 0, batch, i * ping.length, ping.length);
                }
                OutputStream out = s.getOutputStream();
                s.setSoTimeout(1);
                for (int i = 0; i < 100; i++) {
                    try {
                        out.write(batch);
                    } catch (java.net.SocketException closed) {
                        break;                                   // the bridge gave up on us: write-timeout
                    }
                    sent += 1000;
                    maxDirect = Math.max(maxDirect, nettyDirect() - direct0);
                }
            } finally {
                s.close();
            }
            long heapGrowth = usedHeapAfterGc() - heap0;
            // the pool grows in whole chunks: one more chunk than before is the finest step it can show
            assertTrue("Netty direct memory grew by " + (maxDirect >> 10) + " KiB", maxDirect <= (8 << 20));
            return sent + " pings written; Netty direct memory peak +" + (maxDirect >> 10) + " KiB; heap after "
                    + (heapGrowth >> 10) + " KiB";
        });
    }

    @Test
    public void l9_pongFloodLeavesNoTrace() throws Exception {
        check("L9", "10^5 unsolicited pongs", "no memory growth; no leaks; nothing forwarded", () -> {
            long heap0 = usedHeapAfterGc();
            long direct0 = nettyDirect();
            RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
            try (RawWs ws = openRecording(rec, port, Chop.WHOLE, pc)) {
                byte[] pong = WsFrame.of(WsFrame.PONG).payload(new byte[16]).bytes();
                byte[] batch = new byte[pong.length * 1000];
                for (int i = 0; i < 1000; i++) {
                    System.arraycopy(pong, 0, batch, i * pong.length, pong.length);
                }
                for (int i = 0; i < 100; i++) {
                    ws.sendRaw(batch, Chop.WHOLE, 0);
                }
                ws.send(WsFrame.text("end"));
                Poll.until(Duration.ofSeconds(120), "text after the pongs at the peer", () -> pc[0].size() >= 3);
                closeNormally(ws);
                assertPeerGot(pc[0], ascii("end"));
            }
            long heap = (usedHeapAfterGc() - heap0) >> 10;
            long direct = (nettyDirect() - direct0) >> 10;
            assertTrue("heap growth " + heap + " KiB", heap < 16 << 10);
            return "10^5 pongs ignored; heap " + heap + " KiB, Netty direct " + direct + " KiB after";
        });
    }
}
