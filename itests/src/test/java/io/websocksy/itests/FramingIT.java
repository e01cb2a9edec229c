package io.websocksy.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.websocksy.itests.support.Chop;
import io.websocksy.itests.support.RawWs;
import io.websocksy.itests.support.RecordingPeer;
import io.websocksy.itests.support.UdpEchoPeer;
import io.websocksy.itests.support.WsFrame;
import io.websocksy.itests.support.WsFrame.Len;

/**
 * RELIABILITY group F (Autobahn 1-4 and 2.x): frame syntax from a raw-socket client, every hostile
 * case sent whole, octet by octet and in random segments. Cases go to a recording TCP peer so the
 * tests see exactly what was (and was not) forwarded.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FramingIT extends ConformanceBase {
    static final int MAX_FRAME = 65536;
    static final Duration T = Duration.ofSeconds(10);

    private RecordingPeer rec;
    private int port;

    @Before
    public void recordingListener() throws Exception {
        rec = peer(false);
        port = bridge.listener(bridge.defaultBackend(rec.address(), "framing", "binary"),
                "max-frame-size", Integer.toString(MAX_FRAME));
    }

    /** Sends {@code frames} in every chop mode and expects close {@code codes}; the peer gets {@code forwarded}. */
    private String violation(byte[] frames, byte[] forwarded, int... codes) throws Exception {
        StringBuilder got = new StringBuilder();
        for (Chop chop : Chop.ALL) {
            RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
            try (RawWs ws = openRecording(rec, port, chop, pc)) {
                ws.sendHostile(frames, chop, 7);
                RawWs.Outcome o = expectClose(ws, codes);
                assertPeerGot(pc[0], forwarded);
                got.append(chop).append(": ").append(o).append(". ");
            }
        }
        return got.toString();
    }

    @Test
    public void f1_unmaskedFrameGets1002AtTheHeader() throws Exception {
        check("F1", "unmasked client text frame", "close 1002 at the 2-byte header, payload not forwarded", () -> {
            String whole = violation(WsFrame.text("hello").unmasked().bytes(), new byte[0], 1002);
            // only the 2-byte header of a 100-byte unmasked frame: the close must come without the payload
            RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
            try (RawWs ws = openRecording(rec, port, Chop.WHOLE, pc)) {
                byte[] f = WsFrame.binary(new byte[100]).unmasked().bytes();
                ws.sendHostile(new byte[] {f[0], f[1]}, Chop.WHOLE, 0);
                RawWs.Outcome o = expectClose(ws, 1002);
                assertPeerGot(pc[0], new byte[0]);
                return whole + "header only: " + o;
            }
        });
    }

    @Test
    public void f2_zeroMaskAndEmptyPayloadAccepted() throws Exception {
        check("F2", "masked frame with all-zero mask key; 0-length payload (stream and UDP peer)",
                "accepted; empty message = zero bytes (stream) / empty datagram (dgram; this bridge drops it, see README)",
                () -> {
            RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
            try (RawWs ws = openRecording(rec, port, Chop.WHOLE, pc)) {
                ws.send(WsFrame.binary(new byte[0]));
                ws.send(WsFrame.text("zero-mask").maskKey(new byte[4]));
                ws.send(WsFrame.text(""));
                ws.send(WsFrame.text("!"));
                io.websocksy.itests.support.Poll.until(T, "peer receives the data", () -> pc[0].size() >= 10);
                ws.send(WsFrame.close(1000, ""));
                expectClose(ws, 1000);
                assertPeerGot(pc[0], ascii("zero-mask!"));
            }
            UdpEchoPeer udp = bridge.track(new UdpEchoPeer());
            int up = bridge.listener(bridge.defaultBackend(udp.address(), "framing", "binary"));
            try (RawWs ws = open(up, Chop.WHOLE)) {
                // Netty never writes a zero-length datagram (Epoll/NioDatagramChannel skip them): the empty
                // message is dropped, and the bridge carries on with the next one
                ws.send(WsFrame.binary(new byte[0]).maskKey(new byte[4]));
                ws.send(WsFrame.binary(ascii("x")));
                RawWs.Frame back = ws.read(10_000);
                assertArrayEquals("the message after the empty one: " + back, ascii("x"), back.payload);
                ws.send(WsFrame.close(1000, ""));
                expectClose(ws, 1000);
            }
            return "stream peer got exactly 'zero-mask!' (empty messages = zero bytes); UDP: the empty message is dropped"
                    + " (Netty sends no zero-length datagram), the next message echoes";
        });
    }

    @Test
    public void f3_reservedBitsGet1002() throws Exception {
        check("F3", "RSV1, RSV2, RSV3 (and combinations) on text, ping and close frames",
                "close 1002; frame not forwarded; earlier message delivered", () -> {
            StringBuilder got = new StringBuilder();
            for (int rsv = 1; rsv <= 7; rsv++) {
                for (WsFrame bad : new WsFrame[] {WsFrame.text("after"), WsFrame.of(WsFrame.PING).payload(ascii("p")),
                        WsFrame.close(1000, "")}) {
                    byte[] bytes = WsFrame.concat(WsFrame.text("before"), bad.rsv(rsv));
                    RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
                    try (RawWs ws = openRecording(rec, port, rsv == 1 ? Chop.OCTETS : Chop.WHOLE, pc)) {
                        ws.sendHostile(bytes, rsv == 1 ? Chop.OCTETS : Chop.WHOLE, rsv);
                        expectClose(ws, 1002);
                        assertPeerGot(pc[0], ascii("before"));
                    }
                }
            }
            return got.append("21 combinations: close 1002, peer got only 'before'").toString();
        });
    }

    @Test
    public void f4_reservedOpcodesGet1002() throws Exception {
        check("F4", "opcodes 3-7 and 11-15, with and without payload", "close 1002", () -> {
            int n = 0;
            for (int op : new int[] {3, 4, 5, 6, 7, 11, 12, 13, 14, 15}) {
                for (byte[] p : new byte[][] {new byte[0], ascii("payload")}) {
                    RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
                    try (RawWs ws = openRecording(rec, port, Chop.WHOLE, pc)) {
                        ws.send(WsFrame.of(op).payload(p));
                        expectClose(ws, 1002);
                        assertPeerGot(pc[0], new byte[0]);
                        n++;
                    }
                }
            }
            return n + " frames: close 1002 each, nothing forwarded; octet chop: "
                    + violation(WsFrame.of(5).payload(ascii("x")).bytes(), new byte[0], 1002);
        });
    }

    @Test
    public void f5_oversizedOrFragmentedControlFramesGet1002() throws Exception {
        check("F5", "ping / close with 126-byte payload; ping with FIN=0", "close 1002", () ->
                "126-byte ping: " + violation(WsFrame.of(WsFrame.PING).payload(new byte[126]).bytes(), new byte[0], 1002)
                + " 126-byte close: " + violation(WsFrame.of(WsFrame.CLOSE).payload(closePayload(1000, 124)).bytes(),
                        new byte[0], 1002)
                + " fragmented ping: " + violation(WsFrame.of(WsFrame.PING).fin(false).payload(ascii("p")).bytes(),
                        new byte[0], 1002));
    }

    static byte[] closePayload(int code, int reasonBytes) {
        byte[] p = new byte[2 + reasonBytes];
        p[0] = (byte) (code >> 8);
        p[1] = (byte) code;
        java.util.Arrays.fill(p, 2, p.length, (byte) 'r');
        return p;
    }

    @Test
    public void f6_lengthWithMsbSetGets1002() throws Exception {
        check("F6", "64-bit length with the MSB set (0x8000000000000000)", "close 1002, no allocation", () ->
                violation(WsFrame.binary(new byte[0]).declaredLength(Long.MIN_VALUE).bytes(), new byte[0], 1002));
    }

    @Test
    public void f7_wrappingLengthGets1002Or1009() throws Exception {
        check("F7", "64-bit length 2^64-10 (wraps when added to the header length)", "close 1002 or 1009; no crash", () ->
                violation(WsFrame.binary(new byte[0]).declaredLength(-10L).bytes(), new byte[0], 1002, 1009));
    }

    @Test
    public void f8_nonMinimalLengthGets1002() throws Exception {
        check("F8", "non-minimal length: 16-bit form carrying 5, 64-bit form carrying 200", "close 1002", () ->
                "16-bit form: " + violation(WsFrame.binary(ascii("hello")).lengthForm(Len.MEDIUM16).bytes(), new byte[0], 1002)
                + " 64-bit form: " + violation(WsFrame.binary(new byte[200]).lengthForm(Len.LONG64).bytes(), new byte[0], 1002));
    }

    @Test
    public void f9_declaredPayloadOverMaxFrameGets1009AtTheHeader() throws Exception {
        check("F9", "declared payload over max-frame-size: 2^40 (header only), max+1", "close 1009 at the header", () -> {
            String huge = violation(WsFrame.binary(new byte[0]).declaredLength(1L << 40).bytes(), new byte[0], 1009);
            // one byte over the limit, header only: the close comes without the payload
            String over = violation(WsFrame.binary(new byte[0]).declaredLength(MAX_FRAME + 1).bytes(), new byte[0], 1009);
            // the default 1 MiB limit on the canary's listener
            try (RawWs ws = open(echoPort, Chop.WHOLE)) {
                ws.send(WsFrame.binary(new byte[0]).declaredLength((1 << 20) + 1));
                expectClose(ws, 1009);
            }
            return "2^40: " + huge + " max+1: " + over + " default limit (1 MiB + 1): close 1009";
        });
    }

    @Test
    public void f10_frameOfExactlyMaxFrameIsDelivered() throws Exception {
        check("F10", "binary frame of exactly max-frame-size (64 KiB on this listener)", "delivered intact", () -> {
            byte[] data = new byte[MAX_FRAME];
            new SplittableRandom(10).nextBytes(data);
            RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
            try (RawWs ws = openRecording(rec, port, Chop.WHOLE, pc)) {
                ws.sendRaw(WsFrame.binary(data).bytes(), Chop.RANDOM, 10);
                io.websocksy.itests.support.Poll.until(T, "64 KiB at the peer", () -> pc[0].size() >= MAX_FRAME);
                ws.send(WsFrame.close(1000, ""));
                expectClose(ws, 1000);
                assertPeerGot(pc[0], data);
            }
            return "65536 bytes at the peer, identical";
        });
    }

    @Test
    public void f11_pingsAnsweredWithIdenticalPongs() throws Exception {
        check("F11", "ping with 0, 1, 125 bytes, binary payload; 10 pings back to back; ping sent octet by octet",
                "one pong with the identical payload each; pings never reach the peer", () -> {
            byte[] bin = new byte[125];
            new SplittableRandom(11).nextBytes(bin);
            byte[][] payloads = {new byte[0], {(byte) 0xff}, bin};
            int pongs = 0;
            for (Chop chop : Chop.ALL) {
                RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
                try (RawWs ws = openRecording(rec, port, chop, pc)) {
                    for (byte[] p : payloads) {
                        ws.send(WsFrame.of(WsFrame.PING).payload(p), chop, p.length);
                        RawWs.Frame f = ws.read(10_000);
                        assertEquals("pong: " + f, RawWs.PONG, f.opcode);
                        assertArrayEquals(p, f.payload);
                        pongs++;
                    }
                    WsFrame[] ten = new WsFrame[10];
                    for (int i = 0; i < 10; i++) {
                        ten[i] = WsFrame.of(WsFrame.PING).payload(ascii("ping-" + i));
                    }
                    ws.sendRaw(WsFrame.concat(ten), chop, 3);
                    for (int i = 0; i < 10; i++) {
                        RawWs.Frame f = ws.read(10_000);
                        assertEquals("pong " + i + ": " + f, RawWs.PONG, f.opcode);
                        assertArrayEquals("pong " + i + " in order", ascii("ping-" + i), f.payload);
                        pongs++;
                    }
                    ws.send(WsFrame.close(1000, ""));
                    expectClose(ws, 1000);
                    assertPeerGot(pc[0], new byte[0]);
                }
            }
            return pongs + " pongs with identical payloads, in order; peer received nothing";
        });
    }

    @Test
    public void f12_unsolicitedPongsIgnoredWithoutLeak() throws Exception {
        check("F12", "10 000 unsolicited pongs, with and without payload", "ignored, not forwarded, no ByteBuf leak", () -> {
            RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
            try (RawWs ws = openRecording(rec, port, Chop.WHOLE, pc)) {
                byte[] batch = WsFrame.concat(WsFrame.of(WsFrame.PONG), WsFrame.of(WsFrame.PONG).payload(ascii("pong-payload")));
                java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
                for (int i = 0; i < 5000; i++) {
                    b.write(batch, 0, batch.length);
                }
                ws.sendRaw(b.toByteArray(), Chop.WHOLE, 0);
                ws.send(WsFrame.text("after"));
                io.websocksy.itests.support.Poll.until(T, "text after the pongs at the peer", () -> pc[0].size() >= 5);
                ws.send(WsFrame.close(1000, ""));
                RawWs.Outcome o = expectClose(ws, 1000);
                assertTrue("nothing but the close answer: " + o, o.before.isEmpty());
                assertPeerGot(pc[0], ascii("after"));
            }
            return "no answer to 10 000 pongs; peer got only 'after'; leak detector clean";
        });
    }

    @Test
    public void f13_maskedTextHelloReachesThePeerExactly() throws Exception {
        check("F13", "masked text frame 'hello'", "the peer receives exactly 'hello'; the echo comes back as text", () -> {
            StringBuilder got = new StringBuilder();
            for (Chop chop : Chop.ALL) {
                RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
                try (RawWs ws = openRecording(rec, port, chop, pc)) {
                    ws.send(WsFrame.text("hello"), chop, 13);
                    io.websocksy.itests.support.Poll.until(T, "hello at the peer", () -> pc[0].size() >= 5);
                    ws.send(WsFrame.close(1000, ""));
                    expectClose(ws, 1000);
                    assertPeerGot(pc[0], ascii("hello"));
                }
                int index = echoPeer.countSettled();
                try (RawWs ws = open(echoPort, chop)) {
                    ws.send(WsFrame.text("hello"), chop, 13);
                    RawWs.Frame f = ws.read(10_000);
                    assertEquals("echo opcode with auto framing: " + f, RawWs.TEXT, f.opcode);
                    assertArrayEquals(ascii("hello"), f.payload);
                    ws.send(WsFrame.close(1000, ""));
                    expectClose(ws, 1000);
                    assertPeerGot(echoPeer.conn(index, T), ascii("hello"));
                }
                got.append(chop).append(" ok. ");
            }
            return got.append("peer got exactly 'hello'; echo came back as text 'hello'").toString();
        });
    }
}
