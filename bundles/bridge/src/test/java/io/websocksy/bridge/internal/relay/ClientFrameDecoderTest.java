package io.websocksy.bridge.internal.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;

/** docs/conformance.md C3, C6, U5: a bad client close frame is answered with a close frame, not a bare TCP close. */
class ClientFrameDecoderTest {
    /** The close codes the decoder reported to its connection, in order. */
    private static final class Reported implements ProtocolViolations {
        final java.util.List<Integer> codes = new java.util.ArrayList<>();
        boolean channelOpenWhenReported;
        EmbeddedChannel ch;

        @Override
        public void protocolViolation(int code, String reason) {
            codes.add(code);
            channelOpenWhenReported = ch.isOpen();
        }
    }

    private static EmbeddedChannel channel(Reported r) {
        r.ch = new EmbeddedChannel(new WebSocket13FrameEncoder(false), new ClientFrameDecoder(1 << 20, r));
        return r.ch;
    }

    private static EmbeddedChannel channel() {
        return channel(new Reported());
    }

    /** A masked close frame (mask key 0) with the given payload. */
    private static ByteBuf close(byte... payload) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(0x88).writeByte(0x80 | payload.length).writeInt(0).writeBytes(payload);
        return b;
    }

    /** @return the close code the server wrote, reading it off the encoded outbound bytes */
    private static int answeredCode(EmbeddedChannel ch) {
        ByteBuf out = ch.readOutbound();
        try {
            assertEquals(0x88, out.getUnsignedByte(0), "a close frame");
            return out.getUnsignedShort(2);
        } finally {
            out.release();
        }
    }

    private static void assertAnswered(int expected, byte... payload) {
        Reported r = new Reported();
        EmbeddedChannel ch = channel(r);
        ch.writeInbound(close(payload));
        assertEquals(java.util.List.of(expected), r.codes, "reported to the connection once");
        assertTrue(r.channelOpenWhenReported, "reported before the close");
        assertEquals(expected, answeredCode(ch));
        assertFalse(ch.isOpen(), "closed after the close frame went out");
        assertNull(ch.readInbound());
        ch.finishAndReleaseAll();
    }

    @Test
    void oneBytePayloadGets1002() {
        assertAnswered(1002, (byte) 3);
    }

    @Test
    void invalidCodesGet1002() {
        for (int code : new int[] {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999}) {
            assertAnswered(1002, (byte) (code >> 8), (byte) code);
        }
    }

    /** Issue 18: Netty's check passes every code from 3000 up; 5000 and above must not be echoed. */
    @Test
    void codesFrom5000UpGet1002() {
        for (int code : new int[] {5000, 5001, 9999, 40000, 65535}) {
            assertAnswered(1002, (byte) (code >> 8), (byte) code);
        }
    }

    @Test
    void everyDefinedCodePasses() {
        for (int code : new int[] {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999,
            4000, 4999}) {
            EmbeddedChannel ch = channel();
            assertTrue(ch.writeInbound(close((byte) (code >> 8), (byte) code)), "code " + code);
            CloseWebSocketFrame f = ch.readInbound();
            assertEquals(code, f.statusCode());
            f.release();
            assertNull(ch.readOutbound());
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void invalidUtf8ReasonGets1007() {
        assertAnswered(1007, (byte) 0x03, (byte) 0xe8, (byte) 0xed, (byte) 0xa0, (byte) 0x80);
        assertAnswered(1007, (byte) 0x03, (byte) 0xe8, (byte) 0x61, (byte) 0xce);   // truncated at the end
    }

    @Test
    void validCloseFramesPassThrough() {
        EmbeddedChannel ch = channel();
        assertTrue(ch.writeInbound(close((byte) 0x03, (byte) 0xe8, (byte) 0xce, (byte) 0xba)));
        CloseWebSocketFrame f = ch.readInbound();
        assertEquals(1000, f.statusCode());
        assertEquals("κ", f.reasonText());
        f.release();
        ch = channel();
        assertTrue(ch.writeInbound(close()));
        f = ch.readInbound();
        assertEquals(-1, f.statusCode());
        f.release();
        assertNull(ch.readOutbound());
        ch.finishAndReleaseAll();
    }

    /** docs/conformance.md F3, G3: a message ahead of a bad frame in the same read is passed on while the channel is open. */
    @Test
    void aMessageBeforeABadFrameIsPassedOnBeforeTheClose() {
        java.util.List<String> seen = new java.util.ArrayList<>();
        Reported r = new Reported();
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocket13FrameEncoder(false), new ClientFrameDecoder(1 << 20, r),
                new io.netty.channel.ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                        seen.add(msg.getClass().getSimpleName() + (ctx.channel().isActive() ? " open" : " closed"));
                        io.netty.util.ReferenceCountUtil.release(msg);
                    }
                });
        ByteBuf in = Unpooled.buffer();
        in.writeByte(0x82).writeByte(0x80 | 6).writeInt(0).writeBytes("before".getBytes());
        in.writeByte(0xC2).writeByte(0x80 | 1).writeInt(0).writeByte('x'); // RSV1
        r.ch = ch;
        ch.writeInbound(in);
        assertEquals(java.util.List.of(1002), r.codes);
        assertEquals(java.util.List.of("BinaryWebSocketFrame open"), seen);
        assertEquals(1002, answeredCode(ch));
        ch.finishAndReleaseAll();
    }
}
