package io.websocksy.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.SplittableRandom;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.websocksy.itests.support.Chop;
import io.websocksy.itests.support.Poll;
import io.websocksy.itests.support.RawWs;
import io.websocksy.itests.support.RecordingPeer;
import io.websocksy.itests.support.UdpEchoPeer;
import io.websocksy.itests.support.WsFrame;

/** docs/conformance.md#g (Autobahn 5.x, 9.3/9.4): fragmented messages to stream and datagram peers. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FragmentationIT extends ConformanceBase {
    static final Duration T = Duration.ofSeconds(10);

    private RecordingPeer rec;
    private int port;
    private int udpPort;

    @Before
    public void listeners() throws Exception {
        rec = peer(false);
        port = bridge.listener(bridge.defaultBackend(rec.address(), "framing", "binary"),
                "max-frame-size", Integer.toString(4 << 20));
        UdpEchoPeer udp = bridge.track(new UdpEchoPeer());
        udpPort = bridge.listener(bridge.defaultBackend(udp.address(), "framing", "binary"), "max-message-size", "4096");
    }

    @Test
    public void g1_fragmentedTextIsOneMessage() throws Exception {
        check("G1", "text FIN=0 'frag1-' + continuation FIN=1 'frag2' (Autobahn 5.3-5.5), every chop mode",
                "stream peer receives 'frag1-frag2'; a UDP peer receives one datagram", () -> {
            byte[] frames = WsFrame.concat(WsFrame.text("frag1-").fin(false), WsFrame.of(WsFrame.CONT).payload(ascii("frag2")));
            for (Chop chop : Chop.ALL) {
                RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
                try (RawWs ws = openRecording(rec, port, chop, pc)) {
                    ws.sendRaw(frames, chop, 1);
                    Poll.until(T, "message at the peer", () -> pc[0].size() >= 11);
                    closeNormally(ws);
                    assertPeerGot(pc[0], ascii("frag1-frag2"));
                }
                try (RawWs ws = open(udpPort, chop)) {
                    ws.sendRaw(frames, chop, 1);
                    RawWs.Frame f = ws.read(10_000);
                    assertTrue("one datagram, echoed whole: " + f, f.fin);
                    assertArrayEquals(ascii("frag1-frag2"), f.payload);
                    closeNormally(ws);
                }
            }
            return "stream: 'frag1-frag2'; UDP: one datagram 'frag1-frag2' echoed as one message (3 chop modes)";
        });
    }

    @Test
    public void g2_pingBetweenFragmentsIsAnsweredFirst() throws Exception {
        check("G2", "ping between fragments, with a 1 s gap (Autobahn 5.6-5.8, 5.19, 5.20)",
                "pong sent before the message completes; message intact", () -> {
            RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
            try (RawWs ws = openRecording(rec, port, Chop.WHOLE, pc)) {
                ws.send(WsFrame.text("frag1-").fin(false));
                ws.send(WsFrame.of(WsFrame.PING).payload(ascii("between")));
                RawWs.Frame pong = ws.read(10_000);
                assertEquals("pong before the message completes: " + pong, RawWs.PONG, pong.opcode);
                assertArrayEquals(ascii("between"), pong.payload);
                Thread.sleep(1000);                                   // the 1 s gap of Autobahn 5.19/5.20
                ws.send(WsFrame.of(WsFrame.CONT).fin(false).payload(ascii("frag2-")));
                ws.send(WsFrame.of(WsFrame.PING).payload(ascii("again")));
                assertArrayEquals(ascii("again"), ws.read(10_000).payload);
                ws.send(WsFrame.of(WsFrame.CONT).payload(ascii("frag3")));
                Poll.until(T, "message at the peer", () -> pc[0].size() >= 17);
                closeNormally(ws);
                assertPeerGot(pc[0], ascii("frag1-frag2-frag3"));
            }
            try (RawWs ws = open(udpPort, Chop.WHOLE)) {
                ws.sendRaw(WsFrame.concat(WsFrame.text("a").fin(false), WsFrame.of(WsFrame.PING).payload(ascii("p")),
                        WsFrame.of(WsFrame.CONT).payload(ascii("b"))), Chop.OCTETS, 0);
                RawWs.Frame first = ws.read(10_000);
                assertEquals("pong first: " + first, RawWs.PONG, first.opcode);
                assertArrayEquals(ascii("ab"), ws.read(10_000).payload);
                closeNormally(ws);
            }
            return "pongs came before the message completed; stream peer got 'frag1-frag2-frag3'; UDP echo 'ab' after the pong";
        });
    }

    @Test
    public void g3_continuationWithoutMessageGets1002() throws Exception {
        check("G3", "continuation with no message open, FIN=0 and FIN=1 (Autobahn 5.9-5.17)", "close 1002", () -> {
            StringBuilder got = new StringBuilder();
            for (boolean fin : new boolean[] {false, true}) {
                for (Chop chop : Chop.ALL) {
                    RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
                    try (RawWs ws = openRecording(rec, port, chop, pc)) {
                        ws.sendHostile(WsFrame.of(WsFrame.CONT).fin(fin).payload(ascii("orphan")).bytes(), chop, 3);
                        got.append("FIN=").append(fin ? 1 : 0).append(' ').append(chop).append(": ")
                                .append(expectClose(ws, 1002)).append(". ");
                        assertPeerGot(pc[0], new byte[0]);
                    }
                }
            }
            // after a complete message, a further continuation is orphaned too (Autobahn 5.10-5.12)
            RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
            try (RawWs ws = openRecording(rec, port, Chop.WHOLE, pc)) {
                ws.sendHostile(WsFrame.concat(WsFrame.text("done"), WsFrame.of(WsFrame.CONT).payload(ascii("late"))), Chop.WHOLE, 0);
                expectClose(ws, 1002);
                assertPeerGot(pc[0], ascii("done"));
            }
            return got.append("after a complete message: close 1002, peer got 'done' only").toString();
        });
    }

    @Test
    public void g4_newDataFrameInsideMessageGets1002() throws Exception {
        check("G4", "text FIN=0 followed by a new text or binary frame (Autobahn 5.18)", "close 1002", () -> {
            StringBuilder got = new StringBuilder();
            for (WsFrame second : new WsFrame[] {WsFrame.text("new"), WsFrame.binary(ascii("new"))}) {
                RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
                try (RawWs ws = openRecording(rec, port, Chop.WHOLE, pc)) {
                    ws.sendHostile(WsFrame.concat(WsFrame.text("frag1-").fin(false), second), Chop.OCTETS, 0);
                    got.append(expectClose(ws, 1002)).append(". ");
                    // the first fragment may already be at a stream peer (forwarded as it arrives); the new frame never is
                    byte[] at = pc[0].received();
                    assertTrue("peer got only the first fragment: " + new String(at), at.length == 0
                            || java.util.Arrays.equals(at, ascii("frag1-")));
                    assertTrue("peer closed", pc[0].awaitEnd(SETTLE));
                }
            }
            return got.toString();
        });
    }

    @Test
    public void g5_closeBetweenFragments() throws Exception {
        check("G5", "text FIN=0 'a', then Close 1000, then continuation 'b' (Autobahn 7.1.5)",
                "clean close; data before the close delivered, nothing after it", () -> {
            RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
            try (RawWs ws = openRecording(rec, port, Chop.WHOLE, pc)) {
                ws.sendHostile(WsFrame.concat(WsFrame.text("a").fin(false), WsFrame.close(1000, "bye"),
                        WsFrame.of(WsFrame.CONT).payload(ascii("b"))), Chop.WHOLE, 0);
                RawWs.Outcome o = expectClose(ws, 1000);
                assertPeerGot(pc[0], ascii("a"));
                return o + "; peer got 'a' only";
            }
        });
    }

    @Test
    public void g6_fourMiBMessageInFragmentsStreamsThrough() throws Exception {
        check("G6", "4 MiB message in 64 B, 64 KiB and 4 MiB fragments (Autobahn 9.3, 9.4); max-frame-size 4 MiB",
                "stream peer gets all bytes in order; fragments forwarded as they arrive, not reassembled", () -> {
            byte[] msg = new byte[4 << 20];
            new SplittableRandom(6).nextBytes(msg);
            StringBuilder got = new StringBuilder();
            for (int frag : new int[] {64, 64 << 10, 4 << 20}) {
                RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
                try (RawWs ws = openRecording(rec, port, Chop.WHOLE, pc)) {
                    long t0 = System.nanoTime();
                    ByteArrayOutputStream batch = new ByteArrayOutputStream();
                    for (int off = 0; off < msg.length; off += frag) {
                        int n = Math.min(frag, msg.length - off);
                        byte[] p = java.util.Arrays.copyOfRange(msg, off, off + n);
                        WsFrame f = (off == 0 ? WsFrame.binary(p) : WsFrame.of(WsFrame.CONT).payload(p))
                                .fin(off + n == msg.length);
                        byte[] b = f.bytes();
                        batch.write(b, 0, b.length);
                        if (batch.size() >= 256 << 10 || off + n == msg.length) {
                            ws.sendRaw(batch.toByteArray(), Chop.WHOLE, 0);
                            batch.reset();
                        }
                        if (frag < msg.length && off + n == msg.length / 2) {
                            ws.sendRaw(batch.toByteArray(), Chop.WHOLE, 0);
                            batch.reset();
                            // half the message sent, FIN not yet: the peer must already have (nearly) all of it
                            Poll.until(Duration.ofSeconds(60), "first half at the peer before FIN",
                                    () -> pc[0].size() >= msg.length / 2);
                        }
                    }
                    Poll.until(Duration.ofSeconds(120), "4 MiB at the peer", () -> pc[0].size() >= msg.length);
                    closeNormally(ws);
                    assertPeerGot(pc[0], msg);
                    got.append(frag).append(" B fragments: intact in ").append((System.nanoTime() - t0) / 1_000_000)
                            .append(" ms. ");
                }
            }
            return got.append("the first half reached the peer before the last fragment was sent").toString();
        });
    }

    @Test
    public void g7_endlessOneByteContinuations() throws Exception {
        check("G7", "text FIN=0 then 1-byte continuations, never FIN (ws GHSA-96hv PoC)",
                "stream peer: forwarded as they arrive, heap bounded; datagram peer: 1009 over max-message-size", () -> {
            RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
            int n = 100_000;
            try (RawWs ws = openRecording(rec, port, Chop.WHOLE, pc)) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                b.write(WsFrame.text("x").fin(false).bytes());
                byte[] one = WsFrame.of(WsFrame.CONT).fin(false).payload(ascii("x")).bytes();
                for (int i = 1; i < n; i++) {
                    b.write(one, 0, one.length);
                }
                ws.sendRaw(b.toByteArray(), Chop.WHOLE, 0);
                Poll.until(Duration.ofSeconds(60), n + " fragments at the peer", () -> pc[0].size() >= n);
                ws.send(WsFrame.close(1000, ""));
                expectClose(ws, 1000);
                assertPeerGot(pc[0], ascii("x".repeat(n)));
            }
            String dgram;
            try (RawWs ws = open(udpPort, Chop.WHOLE)) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                b.write(WsFrame.text("x").fin(false).bytes());
                byte[] one = WsFrame.of(WsFrame.CONT).fin(false).payload(ascii("x")).bytes();
                for (int i = 1; i < 5000; i++) {
                    b.write(one, 0, one.length);
                }
                ws.sendRaw(b.toByteArray(), Chop.WHOLE, 0);
                dgram = expectClose(ws, 1009).toString();
            }
            return "stream peer received all " + n + " one-byte fragments as they came; UDP peer (max-message-size 4096): " + dgram;
        });
    }

    @Test
    public void g8_messageOverMaxDatagramGets1009() throws Exception {
        check("G8", "message for a UDP peer over 65 507 bytes (max-message-size 1 MiB)", "close 1009, never truncated", () -> {
            UdpEchoPeer udp = bridge.track(new UdpEchoPeer());
            int p = bridge.listener(bridge.defaultBackend(udp.address(), "framing", "binary"));
            String fits;
            try (RawWs ws = open(p, Chop.WHOLE)) {
                byte[] max = new byte[65_507];
                new SplittableRandom(8).nextBytes(max);
                ws.send(WsFrame.binary(max));
                RawWs.Frame back = ws.read(10_000);
                assertArrayEquals("the largest UDP datagram goes out and comes back whole", max, back.payload);
                ws.send(WsFrame.close(1000, ""));
                fits = "65 507 bytes: echoed whole, " + expectClose(ws, 1000);
            }
            try (RawWs ws = open(p, Chop.WHOLE)) {
                ws.send(WsFrame.binary(new byte[65_508]));
                return fits + "; 65 508 bytes: " + expectClose(ws, 1009);
            }
        });
    }
}
