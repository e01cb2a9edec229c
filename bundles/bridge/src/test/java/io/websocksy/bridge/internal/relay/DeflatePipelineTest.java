package io.websocksy.bridge.internal.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.websocksy.bridge.internal.deflate.DeflateConfig;
import io.websocksy.bridge.internal.deflate.DeflateHandler;
import io.websocksy.bridge.internal.deflate.InflateHandler;
import io.websocksy.bridge.internal.deflate.Negotiation;

/**
 * permessage-deflate in the client pipeline as the bridge assembles it: ClientFrameDecoder with RSV1
 * allowed, InflateHandler, Netty's UTF-8 validator; and the DeflateHandler on the way out.
 */
class DeflatePipelineTest {
    static final int MB = 1 << 20;

    /** What the handlers of a channel reported (the connection's protocolViolation in the bridge). */
    static final class Reported implements ProtocolViolations, InflateHandler.Violations {
        int code = -1;
        String reason;

        @Override
        public void protocolViolation(int c, String why) {
            if (code == -1) {
                code = c;
                reason = why;
            }
        }
    }

    private static final Map<EmbeddedChannel, Reported> REPORTED = new IdentityHashMap<>();

    static EmbeddedChannel inbound(int maxFrame, int maxMessage, boolean clientNoContext) {
        Reported r = new Reported();
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocket13FrameEncoder(false),
                new ClientFrameDecoder(maxFrame, r, true),
                new InflateHandler(maxFrame, maxMessage, clientNoContext, r), new ClientUtf8Check(r));
        REPORTED.put(ch, r);
        return ch;
    }

    /** Without the extension: RSV1 is a violation. */
    static EmbeddedChannel plain(int maxFrame) {
        Reported r = new Reported();
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocket13FrameEncoder(false), new ClientFrameDecoder(maxFrame, r));
        REPORTED.put(ch, r);
        return ch;
    }

    /** A message compressed the RFC 7692 way: SYNC_FLUSH, the trailing 00 00 FF FF removed. */
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
        assertArrayEquals(new byte[] {0, 0, (byte) 0xFF, (byte) 0xFF}, Arrays.copyOfRange(z, z.length - 4, z.length));
        return Arrays.copyOf(z, z.length - 4);
    }

    /** The compressed payload cut into frames of {@code size} bytes: the first with RSV1 and opcode, then continuations. */
    static byte[] frames(int opcode, byte[] z, int size, boolean rsv1) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = Math.max(1, (z.length + size - 1) / size);
        for (int i = 0; i < n; i++) {
            byte[] part = Arrays.copyOfRange(z, i * size, Math.min(z.length, (i + 1) * size));
            ClientFrameDecoderDifferentialTest.frame(out, i == n - 1, i == 0 && rsv1 ? 4 : 0, i == 0 ? opcode : 0, part,
                    0x12345678 + i, true, 0);
        }
        return out.toByteArray();
    }

    /** Writes {@code bytes} in pieces of {@code chop}; stops once a violation has closed the channel. */
    static void write(EmbeddedChannel ch, byte[] bytes, int chop) {
        for (int i = 0; i < bytes.length && ch.isOpen(); i += chop) {
            ByteBuf b = ch.alloc().directBuffer();
            b.writeBytes(bytes, i, Math.min(chop, bytes.length - i));
            ch.writeInbound(b);
        }
    }

    /** Messages as "text:..." / "binary:<hex length>" strings, fragments joined. */
    static List<byte[]> messages(EmbeddedChannel ch, List<String> kinds) {
        List<byte[]> out = new ArrayList<>();
        ByteArrayOutputStream cur = null;
        String kind = null;
        for (Object o; (o = ch.readInbound()) != null;) {
            WebSocketFrame f = (WebSocketFrame) o;
            try {
                assertEquals(0, f.rsv(), "frames behind the inflater carry no RSV");
                if (f instanceof TextWebSocketFrame || f instanceof BinaryWebSocketFrame) {
                    assertTrue(cur == null, "a new message inside a message");
                    cur = new ByteArrayOutputStream();
                    kind = f instanceof TextWebSocketFrame ? "text" : "binary";
                } else if (f instanceof ContinuationWebSocketFrame) {
                    assertNotNull(cur, "a continuation outside a message");
                } else {
                    kinds.add(f.getClass().getSimpleName());
                    continue;
                }
                byte[] b = new byte[f.content().readableBytes()];
                f.content().getBytes(f.content().readerIndex(), b);
                cur.write(b, 0, b.length);
                if (f.isFinalFragment()) {
                    out.add(cur.toByteArray());
                    kinds.add(kind);
                    cur = null;
                }
            } finally {
                f.release();
            }
        }
        return out;
    }

    static byte[] text(int n) {
        StringBuilder sb = new StringBuilder();
        SplittableRandom r = new SplittableRandom(7);
        String[] words = {"temperature", "ümlaut", "κόσμε", "sensor", "{\"id\":", "42}", "日本語", "🙂", "\n"};
        while (sb.length() < n) {
            sb.append(words[r.nextInt(words.length)]).append(' ');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void oneCompressedTextFrame() {
        EmbeddedChannel ch = inbound(MB, MB, false);
        byte[] msg = text(5000);
        write(ch, frames(1, compress(new Deflater(6, true), msg), 1 << 20, true), 1 << 20);
        List<String> kinds = new ArrayList<>();
        List<byte[]> got = messages(ch, kinds);
        assertEquals(List.of("text"), kinds);
        assertArrayEquals(msg, got.get(0));
        assertFalse(ch.finishAndReleaseAll());
    }

    /** Autobahn 13.x style: many messages in a row with context takeover, fragmented compressed payloads, chopped input. */
    @Test
    void fragmentedCompressedMessagesWithContextTakeoverWholeOctetsAndChops() {
        for (int chop : new int[] {1 << 20, 7, 1000}) {
            for (int fragment : new int[] {1, 3, 64, 4096, 1 << 20}) {
                EmbeddedChannel ch = inbound(MB, 4 * MB, false);
                Deflater d = new Deflater(9, true);
                List<byte[]> sent = new ArrayList<>();
                ByteArrayOutputStream wire = new ByteArrayOutputStream();
                for (int m = 0; m < 6; m++) {
                    byte[] msg = m % 2 == 0 ? text(200 + m * 3000) : binary(100 + m * 5000, m);
                    sent.add(msg);
                    byte[] f = frames(m % 2 == 0 ? 1 : 2, compress(d, msg), fragment, true);
                    wire.write(f, 0, f.length);
                }
                write(ch, wire.toByteArray(), chop);
                List<String> kinds = new ArrayList<>();
                List<byte[]> got = messages(ch, kinds);
                assertEquals(List.of("text", "binary", "text", "binary", "text", "binary"), kinds, "chop " + chop + " frag " + fragment);
                for (int i = 0; i < sent.size(); i++) {
                    assertArrayEquals(sent.get(i), got.get(i), "message " + i + " chop " + chop + " fragment " + fragment);
                }
                assertTrue(ch.isOpen());
                ch.finishAndReleaseAll();
            }
        }
    }

    static byte[] binary(int n, int seed) {
        byte[] b = new byte[n];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i % 100 < 50 ? i % 7 : r.nextInt(256)); // half compressible
        }
        return b;
    }

    @Test
    void clientNoContextTakeoverResetsPerMessageAndUncompressedMessagesPass() {
        EmbeddedChannel ch = inbound(MB, MB, true);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        byte[] a = text(3000);
        for (int m = 0; m < 3; m++) {
            Deflater d = new Deflater(6, true); // a fresh compressor per message: no shared history
            byte[] f = frames(1, compress(d, a), 500, true);
            wire.write(f, 0, f.length);
            ClientFrameDecoderDifferentialTest.frame(wire, true, 0, 2, new byte[] {1, 2, 3}, 99, true, 0);
            ClientFrameDecoderDifferentialTest.frame(wire, true, 0, 9, new byte[] {9}, 98, true, 0); // ping between
        }
        write(ch, wire.toByteArray(), 333);
        List<String> kinds = new ArrayList<>();
        List<byte[]> got = messages(ch, kinds);
        assertEquals(List.of("text", "binary", "PingWebSocketFrame", "text", "binary", "PingWebSocketFrame", "text", "binary",
                "PingWebSocketFrame"), kinds);
        assertArrayEquals(a, got.get(4));
        assertArrayEquals(new byte[] {1, 2, 3}, got.get(5));
        ch.finishAndReleaseAll();
    }

    @Test
    void anEmptyCompressedMessage() {
        EmbeddedChannel ch = inbound(MB, MB, false);
        byte[] z = compress(new Deflater(6, true), new byte[0]);
        assertArrayEquals(new byte[] {0}, z); // RFC 7692 7.2.3.6
        write(ch, frames(2, z, 100, true), 100);
        List<String> kinds = new ArrayList<>();
        assertEquals(0, messages(ch, kinds).get(0).length);
        ch.finishAndReleaseAll();
    }

    static int fails(EmbeddedChannel ch, byte[] wire) {
        write(ch, wire, wire.length);
        Reported e = REPORTED.remove(ch);
        assertTrue(e.code != -1, "a violation was reported");
        for (Object o; (o = ch.readOutbound()) != null;) {
            ByteBuf b = (ByteBuf) o;
            if (b.getUnsignedByte(0) == 0x88) {
                assertEquals(e.code, b.getUnsignedShort(2), "the close frame carries the code");
            }
            b.release();
        }
        assertFalse(ch.isOpen(), "closed");
        ch.finishAndReleaseAll();
        return e.code;
    }

    @Test
    void rsv1OnContinuationControlOrWithoutNegotiationIs1002() {
        byte[] z = compress(new Deflater(6, true), text(2000));
        ByteArrayOutputStream cont = new ByteArrayOutputStream();
        ClientFrameDecoderDifferentialTest.frame(cont, false, 4, 1, Arrays.copyOf(z, 10), 1, true, 0);
        ClientFrameDecoderDifferentialTest.frame(cont, true, 4, 0, Arrays.copyOfRange(z, 10, z.length), 1, true, 0);
        assertEquals(1002, fails(inbound(MB, MB, false), cont.toByteArray()));
        ByteArrayOutputStream ping = new ByteArrayOutputStream();
        ClientFrameDecoderDifferentialTest.frame(ping, true, 4, 9, new byte[] {0}, 1, true, 0);
        assertEquals(1002, fails(inbound(MB, MB, false), ping.toByteArray()));
        ByteArrayOutputStream close = new ByteArrayOutputStream();
        ClientFrameDecoderDifferentialTest.frame(close, true, 4, 8, new byte[] {3, (byte) 0xe8}, 1, true, 0);
        assertEquals(1002, fails(inbound(MB, MB, false), close.toByteArray()));
        for (int rsv : new int[] {2, 1, 6, 5, 3, 7}) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            ClientFrameDecoderDifferentialTest.frame(o, true, rsv, 1, z, 1, true, 0);
            assertEquals(1002, fails(inbound(MB, MB, false), o.toByteArray()), "rsv " + rsv);
        }
        EmbeddedChannel plain = plain(MB);
        assertEquals(1002, fails(plain, frames(1, z, 1 << 20, true)));
    }

    @Test
    void dataThatDoesNotInflateIs1007AndInvalidInflatedUtf8Is1007() {
        byte[] junk = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1, 2, 3};
        assertEquals(1007, fails(inbound(MB, MB, false), frames(2, junk, 100, true)));
        byte[] bad = compress(new Deflater(6, true), new byte[] {'a', (byte) 0xC3, 0x28, 'b'});
        assertEquals(1007, fails(inbound(MB, MB, false), frames(1, bad, 100, true)));
    }

    /** 1 GiB of zeros deflated (about 1 MiB), the way a bomb comes. */
    static byte[] gibOfZeros() {
        Deflater d = new Deflater(9, true);
        byte[] zeros = new byte[1 << 20];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        for (int i = 0; i < 1024; i++) {
            d.setInput(zeros);
            while (!d.needsInput()) {
                out.write(buf, 0, d.deflate(buf));
            }
        }
        int n;
        do {
            n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
            out.write(buf, 0, n);
        } while (n == buf.length);
        d.end();
        byte[] z = out.toByteArray();
        return Arrays.copyOf(z, z.length - 4);
    }

    static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /**
     * RELIABILITY L6 / the Netty trap: 1 GiB of zeros deflated to about 1 MiB, sent as 1 KiB frames (each inflating
     * to about 1 MiB at deflate's 1032:1) and as one frame: 1009 once the inflated bytes pass the limit, and the heap
     * allocated on the way is measured (thread allocation counter: every byte allocated, garbage included).
     */
    @Test
    void bombIsStoppedAtTheLimitWithBoundedAllocation() {
        byte[] z = gibOfZeros();
        assertTrue(z.length < 1_100_000, "compressed " + z.length);
        for (int opcode : new int[] {2, 1}) {
            for (int frame : new int[] {1024, 512, z.length}) {
                EmbeddedChannel ch = inbound(2 * MB, MB, false);
                byte[] wire = frames(opcode, z, frame, true);
                // measured without the leak detector, whose paranoid records (stack traces per buffer access)
                // would be most of what is counted; the bridge runs at Netty's default sampling level
                io.netty.util.ResourceLeakDetector.Level level = io.netty.util.ResourceLeakDetector.getLevel();
                io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
                long before = THREADS.getCurrentThreadAllocatedBytes();
                long heap;
                try {
                    write(ch, wire, 64 * 1024);
                } finally {
                    heap = THREADS.getCurrentThreadAllocatedBytes() - before;
                    io.netty.util.ResourceLeakDetector.setLevel(level);
                }
                Reported e = REPORTED.remove(ch);
                assertEquals(1009, e.code, e.reason);
                long delivered = 0;
                for (Object o; (o = ch.readInbound()) != null;) {
                    delivered += ((WebSocketFrame) o).content().readableBytes();
                    ((WebSocketFrame) o).release();
                }
                assertTrue(delivered <= MB, "at most the limit went on: " + delivered);
                System.out.printf("bomb opcode %d frames of %d B: 1009 (%s), %d B went on, heap allocated %d KiB%n", opcode,
                        frame, e.reason, delivered, heap >> 10);
                // the wire itself is written through 64 KiB direct buffers; the JDK copies nothing to the heap
                assertTrue(heap < 400 * 1024, "heap allocated while inflating: " + heap);
                ch.finishAndReleaseAll();
            }
        }
    }

    @Test
    void theFrameLimitCountsInflatedBytes() {
        EmbeddedChannel ch = inbound(64 * 1024, MB, false);
        byte[] z = compress(new Deflater(6, true), new byte[64 * 1024 + 1]);
        write(ch, frames(2, z, 1 << 20, true), 1 << 20);
        Reported e = REPORTED.remove(ch);
        assertEquals(1009, e.code);
        assertTrue(e.reason.contains("max-frame-size"), e.reason);
        ch.finishAndReleaseAll();
        EmbeddedChannel ok = inbound(64 * 1024, MB, false);
        write(ok, frames(2, compress(new Deflater(6, true), new byte[64 * 1024]), 1 << 20, true), 1 << 20);
        assertEquals(64 * 1024, messages(ok, new ArrayList<>()).get(0).length);
        ok.finishAndReleaseAll();
    }

    // ------------------------------------------------------------------ peer -> client

    static Negotiation.Agreed agreed(DeflateConfig c, String offer) {
        return Negotiation.negotiate(List.of(offer), c).agreed;
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

    /** Sends each message through a DeflateHandler; returns (rsv, payload) of what goes out. */
    static List<Object[]> outbound(Negotiation.Agreed a, byte[]... msgs) {
        EmbeddedChannel ch = new EmbeddedChannel(new DeflateHandler(a));
        for (byte[] m : msgs) {
            ch.writeOutbound(new TextWebSocketFrame(Unpooled.wrappedBuffer(m)));
        }
        ch.writeOutbound(new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1})));
        List<Object[]> out = new ArrayList<>();
        for (Object o; (o = ch.readOutbound()) != null;) {
            WebSocketFrame f = (WebSocketFrame) o;
            byte[] b = new byte[f.content().readableBytes()];
            f.content().getBytes(f.content().readerIndex(), b);
            out.add(new Object[] {f.rsv(), b, f.getClass().getSimpleName()});
            f.release();
        }
        assertFalse(ch.finishAndReleaseAll());
        return out;
    }

    @Test
    void peerMessagesAreCompressedAboveTheMinimumWithContextTakeover() throws Exception {
        Negotiation.Agreed a = agreed(new DeflateConfig(true, 6, 15, false, 64), "permessage-deflate");
        byte[] big = text(4000);
        List<Object[]> out = outbound(a, big, "short".getBytes(StandardCharsets.UTF_8), big);
        assertEquals(4, out.size());
        assertEquals(4, out.get(0)[0]);
        assertEquals(0, out.get(1)[0], "under compression-min-size: uncompressed");
        assertEquals("short", new String((byte[]) out.get(1)[1], StandardCharsets.UTF_8));
        assertEquals(4, out.get(2)[0]);
        assertEquals("PingWebSocketFrame", out.get(3)[2]);
        assertEquals(0, out.get(3)[0]);
        assertTrue(((byte[]) out.get(2)[1]).length < ((byte[]) out.get(0)[1]).length / 4,
                "the second copy refers back to the first (context takeover)");
        Inflater inf = new Inflater(true);
        assertArrayEquals(big, inflate(inf, (byte[]) out.get(0)[1]));
        assertArrayEquals(big, inflate(inf, (byte[]) out.get(2)[1]));
    }

    @Test
    void noContextTakeoverAndSmallWindowsGiveIndependentMessages() throws Exception {
        byte[] big = text(70_000);
        for (String offer : new String[] {"permessage-deflate; server_no_context_takeover", "permessage-deflate; server_max_window_bits=9",
            "permessage-deflate; server_max_window_bits=8"}) {
            Negotiation.Agreed a = agreed(new DeflateConfig(true, 9, 15, false, 0), offer);
            List<Object[]> out = outbound(a, big, big, new byte[0]);
            for (int i = 0; i < 3; i++) {
                assertEquals(4, out.get(i)[0]);
                assertArrayEquals(i < 2 ? big : new byte[0], inflate(new Inflater(true), (byte[]) out.get(i)[1]),
                        offer + ": message " + i + " inflates on its own");
            }
            assertArrayEquals(new byte[] {0}, (byte[]) out.get(2)[1], "an empty message is one 00 byte");
        }
    }
}
