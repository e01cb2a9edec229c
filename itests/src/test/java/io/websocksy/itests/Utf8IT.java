package io.websocksy.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.HexFormat;

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
import io.websocksy.itests.support.TcpPeer;
import io.websocksy.itests.support.Utf8Check;
import io.websocksy.itests.support.WsFrame;

/** docs/conformance.md#u (Autobahn 6.x, 7.5.1): UTF-8 in both directions. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class Utf8IT extends ConformanceBase {
    static final Duration T = Duration.ofSeconds(10);
    static final HexFormat HEX = HexFormat.of();

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

    @Test
    public void u1_validUtf8FragmentedWithinCodePoints() throws Exception {
        check("U1", "valid UTF-8 with 2-, 3- and 4-byte sequences (U+24B62), fragmented at and within code points (6.2)",
                "accepted; the peer gets the exact bytes", () -> {
            byte[] text = ascii("κόσμε \u20ac \ud852\udf62 end");
            StringBuilder got = new StringBuilder();
            for (int fragSize : new int[] {text.length, 1, 2, 3, 5}) {
                RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
                try (RawWs ws = openRecording(rec, port, Chop.WHOLE, pc)) {
                    ByteArrayOutputStream b = new ByteArrayOutputStream();
                    for (int off = 0; off < text.length; off += fragSize) {
                        int n = Math.min(fragSize, text.length - off);
                        byte[] p = java.util.Arrays.copyOfRange(text, off, off + n);
                        b.write((off == 0 ? WsFrame.of(WsFrame.TEXT) : WsFrame.of(WsFrame.CONT)).payload(p)
                                .fin(off + n == text.length).bytes());
                    }
                    ws.sendRaw(b.toByteArray(), fragSize == 1 ? Chop.OCTETS : Chop.RANDOM, fragSize);
                    Poll.until(T, "text at the peer", () -> pc[0].size() >= text.length);
                    ws.send(WsFrame.close(1000, ""));
                    expectClose(ws, 1000);
                    assertPeerGot(pc[0], text);
                    got.append(fragSize).append("-byte fragments ok. ");
                }
            }
            return got.toString();
        });
    }

    static final String[] INVALID = {"c0af", "e080af", "eda080", "f4908080", "f5", "fe", "ff", "80", "ce", "e0a0",
        "f09f98", "cebae1bdb9cf83cebcceb5eda080656469746564"};

    @Test
    public void u2_invalidUtf8Gets1007AndIsNotForwarded() throws Exception {
        check("U2", "overlong C0 AF, E0 80 AF; surrogate ED A0 80; F4 90 80 80; F5, FE, FF; lone 80; truncated at FIN"
                + " (6.3, 6.5-6.23)", "close 1007; the offending frame is not forwarded", () -> {
            int n = 0;
            for (String hex : INVALID) {
                Chop chop = Chop.ALL[n % 3];
                RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
                try (RawWs ws = openRecording(rec, port, chop, pc)) {
                    ws.sendHostile(WsFrame.of(WsFrame.TEXT).payload(HEX.parseHex(hex)).bytes(), chop, n);
                    try {
                        expectClose(ws, 1007);
                        assertPeerGot(pc[0], new byte[0]);
                    } catch (AssertionError e) {
                        throw new AssertionError("text " + hex + ": " + e.getMessage(), e);
                    }
                }
                n++;
            }
            return n + " invalid sequences: close 1007 each, nothing forwarded";
        });
    }

    @Test
    public void u3_invalidFragmentFailsFast() throws Exception {
        check("U3", "invalid byte in the 2nd of 3 fragments, and in the 2nd of 3 octet chops (6.4.1-6.4.4)",
                "1007 on the invalid fragment, before FIN; fragment 1 may already be at the peer; within one frame:"
                + " when the frame is complete (non-strict)", () -> {
            StringBuilder got = new StringBuilder();
            RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
            try (RawWs ws = openRecording(rec, port, Chop.WHOLE, pc)) {
                ws.send(WsFrame.text("κόσμε").fin(false));
                ws.sendHostile(WsFrame.of(WsFrame.CONT).fin(false).payload(HEX.parseHex("f4908080")).bytes(), Chop.WHOLE, 0);
                // the third fragment is never sent: the close must come without it
                got.append("fragments: ").append(expectClose(ws, 1007));
                assertTrue(pc[0].awaitEnd(SETTLE));
                byte[] at = pc[0].received();
                assertTrue("peer got at most fragment 1", at.length == 0 || java.util.Arrays.equals(at, ascii("κόσμε")));
                got.append(", peer got ").append(at.length).append(" bytes (fragment 1)");
            }
            try (RawWs ws = openRecording(rec, port, Chop.WHOLE, pc)) {
                byte[] frame = WsFrame.of(WsFrame.TEXT).payload(HEX.parseHex("cebae1bdb9cf83cebcceb5f4908080656469746564")).bytes();
                // one frame in three TCP chops, the invalid bytes in the second, the third 1 s later (6.4.3/6.4.4).
                // Netty validates a frame once its payload is complete, so this close comes after the third
                // chop: Autobahn's "non-strict" for these two cases (see README, Conformance).
                int cut1 = 8;
                int cut2 = frame.length - 6;
                ws.sendRaw(java.util.Arrays.copyOfRange(frame, 0, cut1), Chop.WHOLE, 0);
                ws.sendRaw(java.util.Arrays.copyOfRange(frame, cut1, cut2), Chop.OCTETS, 0);
                Thread.sleep(1000);
                ws.sendHostile(java.util.Arrays.copyOfRange(frame, cut2, frame.length), Chop.WHOLE, 0);
                got.append("; one frame in 3 chops: ").append(expectClose(ws, 1007)).append(" once the frame is complete");
                assertPeerGot(pc[0], new byte[0]);
            }
            return got.toString();
        });
    }

    @Test
    public void u4_binaryWithInvalidUtf8IsAccepted() throws Exception {
        check("U4", "binary frame containing invalid UTF-8", "accepted, delivered unchanged", () -> {
            byte[] data = HEX.parseHex("c0afeda080ff80f5");
            RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
            try (RawWs ws = openRecording(rec, port, Chop.WHOLE, pc)) {
                ws.send(WsFrame.binary(data));
                Poll.until(T, "bytes at the peer", () -> pc[0].size() >= data.length);
                ws.send(WsFrame.close(1000, ""));
                expectClose(ws, 1000);
                assertPeerGot(pc[0], data);
            }
            return "delivered unchanged";
        });
    }

    @Test
    public void u5_closeReasonWithInvalidUtf8() throws Exception {
        check("U5", "close frame 1000 whose reason is invalid UTF-8 (7.5.1)", "close 1007 (Netty) or 1002", () -> {
            RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
            try (RawWs ws = openRecording(rec, port, Chop.WHOLE, pc)) {
                byte[] p = {0x03, (byte) 0xe8, (byte) 0xce, (byte) 0xba, (byte) 0xed, (byte) 0xa0, (byte) 0x80};
                ws.sendHostile(WsFrame.of(WsFrame.CLOSE).payload(p).bytes(), Chop.WHOLE, 0);
                RawWs.Outcome o = expectClose(ws, 1007, 1002);
                assertPeerGot(pc[0], new byte[0]);
                return o.toString();
            }
        });
    }

    /** A listener whose peer writes {@code parts} (with {@code gapMillis} between them) when a client connects. */
    private int sendingPeer(String framing, long gapMillis, byte[]... parts) throws Exception {
        TcpPeer p = bridge.track(new TcpPeer(s -> {
            OutputStream out = s.getOutputStream();
            for (byte[] part : parts) {
                out.write(part);
                out.flush();
                Thread.sleep(gapMillis);
            }
            s.getInputStream().readAllBytes();
        }));
        return bridge.listener(bridge.defaultBackend(p.address(), "framing", framing));
    }

    /** Reads data frames until {@code n} payload bytes came; asserts no text frame holds invalid UTF-8. */
    private static java.util.List<RawWs.Frame> readData(RawWs ws, int n) throws Exception {
        java.util.List<RawWs.Frame> frames = new java.util.ArrayList<>();
        int got = 0;
        while (got < n) {
            RawWs.Frame f = ws.read(10_000);
            assertTrue("data frame expected: " + f, f.opcode == RawWs.TEXT || f.opcode == RawWs.BINARY);
            if (f.opcode == RawWs.TEXT) {
                assertTrue("text frame with invalid UTF-8: " + HEX.formatHex(f.payload),
                        Utf8Check.valid(f.payload, 0, f.payload.length));
            }
            frames.add(f);
            got += f.payload.length;
        }
        return frames;
    }

    @Test
    public void u6_invalidUtf8FromThePeerGoesOutAsBinary() throws Exception {
        check("U6", "server to client: the peer sends C0 AF, ED A0 80 or FF with auto or newline framing",
                "sent as a binary frame, never as text", () -> {
            StringBuilder got = new StringBuilder();
            for (String framing : new String[] {"auto", "newline"}) {
                for (String hex : new String[] {"c0af", "eda080", "ff"}) {
                    byte[] data = HEX.parseHex(hex + (framing.equals("newline") ? "0d0a" : ""));
                    int p = sendingPeer(framing, 0, data);
                    try (RawWs ws = open(p, Chop.WHOLE)) {
                        java.util.List<RawWs.Frame> frames = readData(ws, data.length);
                        assertEquals("one message: " + frames, 1, frames.size());
                        assertEquals("binary: " + frames.get(0), RawWs.BINARY, frames.get(0).opcode);
                        assertArrayEquals(data, frames.get(0).payload);
                        ws.send(WsFrame.close(1000, ""));
                        expectClose(ws, 1000);
                    }
                }
                got.append(framing).append(": 3 binary messages. ");
            }
            return got.toString();
        });
    }

    @Test
    public void u7_characterSplitAcrossPeerWritesIsOneTextMessage() throws Exception {
        check("U7", "server to client: the peer sends 'é' (C3 A9) in two TCP writes 50 ms apart, auto framing",
                "never invalid text; this bridge holds back the incomplete sequence: one text message 'é'", () -> {
            int p = sendingPeer("auto", 50, new byte[] {(byte) 0xc3}, new byte[] {(byte) 0xa9});
            try (RawWs ws = open(p, Chop.WHOLE)) {
                java.util.List<RawWs.Frame> frames = readData(ws, 2);
                assertEquals("one message: " + frames, 1, frames.size());
                assertEquals(RawWs.TEXT, frames.get(0).opcode);
                assertArrayEquals(ascii("é"), frames.get(0).payload);
                ws.send(WsFrame.close(1000, ""));
                expectClose(ws, 1000);
            }
            return "one text message 'é'";
        });
    }
}
