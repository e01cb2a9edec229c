package io.websocksy.bridge.internal.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * The bridge's client frame decoder against Netty's {@code WebSocket13FrameDecoder} on the same input:
 * random masked frame sequences (text, binary, fragmented messages with pings and pongs between the
 * fragments, every length encoding, zero-length frames), fed whole, octet by octet and in random
 * chops. Both must see the same messages (kind, bytes, boundaries) and control frames, whatever way
 * the bridge's decoder cuts binary payloads into pieces. Then the bad inputs: both must fail with
 * the same close code.
 */
class ClientFrameDecoderDifferentialTest {
    private static final int MAX = 1 << 20;

    /** What a decoder delivered, as a canonical text: one line per message or control frame. */
    private static String run(boolean ours, byte[] input, SplittableRandom chops, int mode, int[] failCode) {
        EmbeddedChannel ch = ours
                ? new EmbeddedChannel(new WebSocket13FrameEncoder(false), new ClientFrameDecoder(MAX,
                        (code, reason) -> failCode[0] = code))
                : new EmbeddedChannel(new WebSocket13FrameEncoder(false), new WebSocket13FrameDecoder(
                        WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(MAX).expectMaskedFrames(true)
                                .allowExtensions(false).closeOnProtocolViolation(true).withUTF8Validator(false)
                                .build()));
        StringBuilder got = new StringBuilder();
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        String[] kind = {null};
        int off = 0;
        try {
            while (off < input.length && ch.isOpen()) {
                int n = mode == 0 ? input.length : mode == 1 ? 1 : 1 + chops.nextInt(Math.min(9000, input.length - off));
                n = Math.min(n, input.length - off);
                // a pooled direct buffer, like a socket read: the decoder unmasks in it
                ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(n);
                b.writeBytes(input, off, n);
                off += n;
                ch.writeInbound(b);
                drain(ch, got, message, kind);
            }
        } catch (CorruptedWebSocketFrameException e) {
            drain(ch, got, message, kind);
            failCode[0] = e.closeStatus().code();
        }
        ch.finishAndReleaseAll();
        return got.toString();
    }

    private static void drain(EmbeddedChannel ch, StringBuilder got, ByteArrayOutputStream message, String[] kind) {
        for (Object o; (o = ch.readInbound()) != null;) {
            WebSocketFrame f = (WebSocketFrame) o;
            try {
                byte[] bytes = ByteBufUtil.getBytes(f.content());
                if (f instanceof TextWebSocketFrame || f instanceof BinaryWebSocketFrame) {
                    kind[0] = f instanceof TextWebSocketFrame ? "text" : "binary";
                    message.reset();
                    message.writeBytes(bytes);
                } else if (f instanceof ContinuationWebSocketFrame) {
                    message.writeBytes(bytes);
                } else {
                    String k = f instanceof PingWebSocketFrame ? "ping" : f instanceof PongWebSocketFrame ? "pong"
                            : f instanceof CloseWebSocketFrame ? "close" : "?";
                    got.append(k).append(' ').append(ByteBufUtil.hexDump(bytes)).append('\n');
                    continue;
                }
                if (f.isFinalFragment()) {
                    got.append(kind[0]).append(' ').append(message.size()).append(' ')
                            .append(Integer.toHexString(java.util.Arrays.hashCode(message.toByteArray()))).append('\n');
                    message.reset();
                }
            } finally {
                f.release();
            }
        }
    }

    /** One masked frame. lenForm: 0 = shortest, 1 = force 16-bit, 2 = force 64-bit (may be non-minimal). */
    static void frame(ByteArrayOutputStream out, boolean fin, int rsv, int opcode, byte[] payload, int mask,
            boolean masked, int lenForm) {
        out.write((fin ? 0x80 : 0) | rsv << 4 | opcode);
        int n = payload.length;
        int m = masked ? 0x80 : 0;
        if (lenForm == 2 || (lenForm == 0 && n > 65535)) {
            out.write(m | 127);
            for (int i = 7; i >= 0; i--) {
                out.write((int) ((long) n >>> (8 * i)));
            }
        } else if (lenForm == 1 || n > 125) {
            out.write(m | 126);
            out.write(n >>> 8);
            out.write(n);
        } else {
            out.write(m | n);
        }
        byte[] k = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
        if (masked) {
            out.write(k, 0, 4);
        }
        for (int i = 0; i < n; i++) {
            out.write(masked ? payload[i] ^ k[i & 3] : payload[i]);
        }
    }

    private static byte[] bytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + r.nextInt(26)); // ASCII: valid as text and as binary
        }
        return b;
    }

    private static int size(SplittableRandom r) {
        switch (r.nextInt(5)) {
            case 0: return 0;
            case 1: return r.nextInt(126);
            case 2: return 126 + r.nextInt(2000);
            case 3: return r.nextInt(10) == 0 ? 65536 + r.nextInt(70_000) : r.nextInt(300);
            default: return r.nextInt(300);
        }
    }

    private static byte[] validSequence(SplittableRandom r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int messages = 1 + r.nextInt(8);
        for (int m = 0; m < messages; m++) {
            int op = r.nextBoolean() ? 1 : 2;
            int frags = 1 + r.nextInt(4);
            for (int f = 0; f < frags; f++) {
                if (f > 0 && r.nextInt(3) == 0) {
                    frame(out, true, 0, r.nextBoolean() ? 9 : 10, bytes(r, r.nextInt(126)), r.nextInt(), true, 0);
                }
                frame(out, f == frags - 1, 0, f == 0 ? op : 0, bytes(r, size(r)), r.nextInt(), true, 0);
            }
        }
        frame(out, true, 0, 8, new byte[] {0x03, (byte) 0xe8, 'o', 'k'}, r.nextInt(), true, 0);
        return out.toByteArray();
    }

    @Test
    void sameMessagesAsNettysDecoderWholeOctetsAndRandomChops() {
        for (int seed = 0; seed < 16; seed++) {
            byte[] input = validSequence(new SplittableRandom(seed));
            int[] code = {0};
            String expected = run(false, input, new SplittableRandom(seed), 0, code);
            assertEquals(0, code[0]);
            assertTrue(expected.endsWith("close 03e86f6b\n"), expected);
            for (int mode = 0; mode < 3; mode++) {
                if (mode == 1 && input.length > 4096) {
                    continue; // octet by octet only for the short sequences (a buffer per octet is slow at paranoid)
                }
                int[] ours = {0};
                assertEquals(expected, run(true, input, new SplittableRandom(seed * 31 + mode), mode, ours),
                        "seed " + seed + " mode " + mode);
                assertEquals(0, ours[0]);
            }
        }
    }

    @Test
    void unmaskHandlesEveryOffsetAndLength() {
        SplittableRandom r = new SplittableRandom(7);
        for (int n = 0; n < 40; n++) {
            for (int shift = 0; shift < 4; shift++) {
                int mask = r.nextInt();
                byte[] plain = bytes(r, n);
                byte[] k = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
                ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(n + 3);
                b.writeZero(3);
                for (int i = 0; i < n; i++) {
                    b.writeByte(plain[i] ^ k[(i + shift) & 3]);
                }
                ClientFrameDecoder.unmask(b, 3, n, Integer.rotateLeft(mask, 8 * shift));
                byte[] out = new byte[n];
                b.getBytes(3, out);
                b.release();
                assertEquals(new String(plain), new String(out), "n " + n + " shift " + shift);
            }
        }
    }

    /** Each bad input: both decoders fail with the same close code, and ours delivers what came before. */
    @Test
    void badInputsFailWithNettysCloseCodes() {
        List<byte[]> bad = new ArrayList<>();
        List<String> what = new ArrayList<>();
        ByteArrayOutputStream o;
        o = new ByteArrayOutputStream(); frame(o, true, 0, 2, new byte[10], 1, false, 0); bad.add(o.toByteArray()); what.add("unmasked");
        for (int rsv = 1; rsv < 8; rsv++) {
            o = new ByteArrayOutputStream(); frame(o, true, rsv, 1, new byte[] {'a'}, 1, true, 0); bad.add(o.toByteArray()); what.add("rsv " + rsv);
        }
        for (int op : new int[] {3, 4, 5, 6, 7, 11, 12, 13, 14, 15}) {
            o = new ByteArrayOutputStream(); frame(o, true, 0, op, new byte[3], 1, true, 0); bad.add(o.toByteArray()); what.add("opcode " + op);
        }
        o = new ByteArrayOutputStream(); frame(o, true, 0, 9, new byte[126], 1, true, 0); bad.add(o.toByteArray()); what.add("ping 126");
        o = new ByteArrayOutputStream(); frame(o, false, 0, 9, new byte[3], 1, true, 0); bad.add(o.toByteArray()); what.add("ping fin=0");
        o = new ByteArrayOutputStream(); frame(o, true, 0, 1, new byte[5], 1, true, 1); bad.add(o.toByteArray()); what.add("16-bit length 5");
        o = new ByteArrayOutputStream(); frame(o, true, 0, 1, new byte[200], 1, true, 2); bad.add(o.toByteArray()); what.add("64-bit length 200");
        bad.add(new byte[] {(byte) 0x82, (byte) 0xFF, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4}); what.add("64-bit MSB set");
        bad.add(new byte[] {(byte) 0x82, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
            (byte) 0xFF, (byte) 0xFF, (byte) 0xF6, 1, 2, 3, 4}); what.add("2^64 - 10");
        bad.add(new byte[] {(byte) 0x82, (byte) 0xFF, 0, 0, 1, 0, 0, 0, 0, 0, 1, 2, 3, 4}); what.add("2^40 (over max)");
        o = new ByteArrayOutputStream(); frame(o, true, 0, 0, new byte[3], 1, true, 0); bad.add(o.toByteArray()); what.add("continuation outside");
        o = new ByteArrayOutputStream(); frame(o, false, 0, 1, new byte[] {'a'}, 1, true, 0); frame(o, true, 0, 2, new byte[] {'b'}, 2, true, 0);
        bad.add(o.toByteArray()); what.add("new message inside one");
        o = new ByteArrayOutputStream(); frame(o, false, 0, 2, new byte[] {'a'}, 1, true, 0); frame(o, true, 0, 10, new byte[0], 3, true, 0);
        frame(o, true, 0, 1, new byte[] {'b'}, 2, true, 0);
        bad.add(o.toByteArray()); what.add("new message inside one, after a pong");
        for (int i = 0; i < bad.size(); i++) {
            // a valid binary message first: delivered before the failure
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            frame(in, true, 0, 2, "before".getBytes(), 0x01020304, true, 0);
            in.writeBytes(bad.get(i));
            for (int mode = 0; mode < 3; mode++) {
                int[] netty = {0};
                int[] ours = {0};
                String e = run(false, in.toByteArray(), new SplittableRandom(i), mode, netty);
                String g = run(true, in.toByteArray(), new SplittableRandom(i), mode, ours);
                assertFalse(netty[0] == 0, what.get(i) + ": Netty accepted it");
                assertEquals(netty[0], ours[0], what.get(i) + " mode " + mode);
                assertTrue(g.startsWith("binary 6 "), what.get(i) + ": the message before it, got " + g);
                assertEquals(e.isEmpty() ? "" : e.substring(0, e.indexOf('\n') + 1), g.substring(0, g.indexOf('\n') + 1));
            }
        }
    }
}
