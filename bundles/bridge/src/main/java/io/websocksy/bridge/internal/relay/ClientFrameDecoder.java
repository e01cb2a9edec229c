package io.websocksy.bridge.internal.relay;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.websocksy.api.framer.Utf8;

/**
 * The RFC 6455 decoder for client frames (server side: every frame must be masked; the only extension
 * is permessage-deflate, when negotiated: RSV1 then passes on the first frame of a data message, and
 * the frames of a compressed message go on whole to the {@code InflateHandler} behind this decoder). It replaces Netty's {@code WebSocket13FrameDecoder} on the hot client-to-peer path:
 * <ul>
 * <li>the payload is unmasked <em>in place</em> in the read buffer, eight bytes at a time, and handed on
 * as a slice of it: no copy between the socket and the peer;</li>
 * <li>a binary frame (or a continuation of a binary message) is passed on <em>as it arrives</em>, each
 * piece as one more fragment of the message, so a 1 MiB frame neither waits for its last byte nor sits
 * whole in memory. Text frames are passed on whole (at most {@code max-frame-size}), so the UTF-8
 * validator behind this decoder sees a frame before any of it reaches the peer: a text frame with
 * invalid UTF-8 is never forwarded, not even in part (docs/conformance.md U2).</li>
 * </ul>
 * Every check of Netty's decoder is kept, with its close codes: RSV bits, reserved opcodes, unmasked
 * frames, fragmented or oversized control frames, non-minimal and negative lengths, continuation
 * outside a message and a new message inside one ({@code 1002}); a frame over {@code max-frame-size},
 * judged from its header ({@code 1009}). A close frame's body is checked before it is passed on: a
 * 1-byte body or an invalid status code gets {@code 1002}, a reason that is not UTF-8 {@code 1007}
 * (docs/conformance.md C3, C6, U5); Netty's own check closes without any close frame. On a violation the
 * {@link ProtocolViolations} sink (the connection) is told the code first, then the close frame is
 * written, the channel closes and the rest of the input is dropped; nothing is thrown.
 */
public final class ClientFrameDecoder extends ByteToMessageDecoder {
    private static final int OP_CONT = 0;
    private static final int OP_TEXT = 1;
    private static final int OP_BINARY = 2;
    private static final int OP_CLOSE = 8;
    private static final int OP_PING = 9;
    private static final int OP_PONG = 10;

    private enum State { HEADER, PAYLOAD, CORRUPT }

    private final long maxFrameSize;
    /** permessage-deflate negotiated: RSV1 allowed on the first frame of a data message. */
    private final boolean deflate;
    private final ProtocolViolations violations;
    private State state = State.HEADER;

    // the frame being read
    private int opcode;
    private boolean rsv1;
    private boolean fin;
    private int mask;
    private long length;
    /** Payload bytes of the current frame already passed on (and unmasked). */
    private long done;
    /** Whether a piece of the current frame went out already (the next one is a continuation). */
    private boolean started;

    // the message being read
    /** 0 outside a fragmented message, else the opcode that opened it (text or binary). */
    private int messageOpcode;
    /** Whether the message being read is compressed (RSV1 on its first frame): its frames go on whole. */
    private boolean compressedMessage;

    public ClientFrameDecoder(int maxFrameSize, ProtocolViolations violations) {
        this(maxFrameSize, violations, false);
    }

    /** @param deflate whether permessage-deflate was negotiated (InflateHandler follows this decoder) */
    public ClientFrameDecoder(int maxFrameSize, ProtocolViolations violations, boolean deflate) {
        this.maxFrameSize = maxFrameSize;
        this.violations = violations;
        this.deflate = deflate;
    }

    /**
     * Decodes at most one frame, or one piece of a binary frame, per call: Netty's decoder loop passes
     * each on before the next is read, so a message ahead of a bad frame reaches the peer before the
     * bad frame closes the connection (docs/conformance.md F3, G3).
     */
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int before = out.size();
        while (out.size() == before) {
            switch (state) {
                case HEADER:
                    if (!readHeader(ctx, in)) {
                        return;
                    }
                    if (length == 0) {
                        out.add(frame(ctx, Unpooled.EMPTY_BUFFER, true));
                    } else {
                        state = State.PAYLOAD;
                    }
                    break;
                case PAYLOAD:
                    if (!readPayload(ctx, in, out) && out.size() == before) {
                        return;
                    }
                    break;
                case CORRUPT:
                default:
                    in.skipBytes(in.readableBytes());
                    return;
            }
        }
    }

    /** @return true when a whole header was read (and checked); false when more bytes are needed */
    private boolean readHeader(ChannelHandlerContext ctx, ByteBuf in) {
        int avail = in.readableBytes();
        if (avail < 2) {
            return false;
        }
        int i = in.readerIndex();
        int b0 = in.getUnsignedByte(i);
        int b1 = in.getUnsignedByte(i + 1);
        int len7 = b1 & 0x7F;
        int need = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + ((b1 & 0x80) != 0 ? 4 : 0);
        // the checks that need only the first two bytes come first (docs/conformance.md F1: do not wait)
        boolean finBit = (b0 & 0x80) != 0;
        int rsv = (b0 & 0x70) >> 4;
        int op = b0 & 0x0F;
        if (rsv != 0 && !(deflate && rsv == 4 && (op == OP_TEXT || op == OP_BINARY))) {
            return fail(ctx, in, WebSocketCloseStatus.PROTOCOL_ERROR, !deflate || rsv != 4
                    ? "RSV != 0 and no extension negotiated, RSV:" + rsv
                    : "RSV1 on a " + (op == OP_CONT ? "continuation" : "control") + " frame (RFC 7692 6.1)");
        }
        if ((b1 & 0x80) == 0) {
            return fail(ctx, in, WebSocketCloseStatus.PROTOCOL_ERROR, "received a frame that is not masked as expected");
        }
        if (op > 7) {
            if (!finBit) {
                return fail(ctx, in, WebSocketCloseStatus.PROTOCOL_ERROR, "fragmented control frame");
            }
            if (len7 > 125) {
                return fail(ctx, in, WebSocketCloseStatus.PROTOCOL_ERROR,
                        "control frame with payload length > 125 octets");
            }
            if (op != OP_CLOSE && op != OP_PING && op != OP_PONG) {
                return fail(ctx, in, WebSocketCloseStatus.PROTOCOL_ERROR, "control frame using reserved opcode " + op);
            }
            if (op == OP_CLOSE && len7 == 1) {
                return fail(ctx, in, WebSocketCloseStatus.PROTOCOL_ERROR, "close frame with a 1-byte payload");
            }
        } else {
            if (op != OP_CONT && op != OP_TEXT && op != OP_BINARY) {
                return fail(ctx, in, WebSocketCloseStatus.PROTOCOL_ERROR, "data frame using reserved opcode " + op);
            }
            if (messageOpcode == 0 && op == OP_CONT) {
                return fail(ctx, in, WebSocketCloseStatus.PROTOCOL_ERROR,
                        "received continuation data frame outside fragmented message");
            }
            if (messageOpcode != 0 && op != OP_CONT) {
                return fail(ctx, in, WebSocketCloseStatus.PROTOCOL_ERROR,
                        "received non-continuation data frame while inside fragmented message");
            }
        }
        if (avail < need) {
            return false;
        }
        long len;
        int p = i + 2;
        if (len7 == 126) {
            len = in.getUnsignedShort(p);
            p += 2;
            if (len < 126) {
                return fail(ctx, in, WebSocketCloseStatus.PROTOCOL_ERROR,
                        "invalid data frame length (not using minimal length encoding)");
            }
        } else if (len7 == 127) {
            len = in.getLong(p);
            p += 8;
            if (len < 0) {
                return fail(ctx, in, WebSocketCloseStatus.PROTOCOL_ERROR, "invalid data frame length (negative length)");
            }
            if (len < 65536) {
                return fail(ctx, in, WebSocketCloseStatus.PROTOCOL_ERROR,
                        "invalid data frame length (not using minimal length encoding)");
            }
        } else {
            len = len7;
        }
        if (len > maxFrameSize) {
            return fail(ctx, in, WebSocketCloseStatus.MESSAGE_TOO_BIG,
                    "Max frame length of " + maxFrameSize + " has been exceeded.");
        }
        mask = in.getInt(p);
        in.readerIndex(p + 4);
        opcode = op;
        rsv1 = rsv == 4;
        fin = finBit;
        length = len;
        done = 0;
        started = false;
        return true;
    }

    /**
     * Passes on what the buffer holds of the current payload: a binary piece as soon as it is there,
     * a text or control frame once it is whole.
     *
     * @return true when the frame is complete (the next header follows)
     */
    private boolean readPayload(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        long left = length - done;
        int avail = in.readableBytes();
        if (avail == 0) {
            return false;
        }
        boolean compressed = opcode == OP_CONT ? compressedMessage : rsv1;
        boolean streams = !compressed && (opcode == OP_BINARY || (opcode == OP_CONT && messageOpcode == OP_BINARY));
        if (!streams) {
            if (avail < left) {
                return false; // text and control frames go on whole
            }
            int n = (int) left;
            ByteBuf payload = unmaskedSlice(ctx, in, n);
            if (opcode >= OP_CLOSE) {
                WebSocketFrame c = control(ctx, in, payload);
                if (c == null) {
                    return false; // a bad close body: the connection is failed
                }
                out.add(c);
            } else {
                out.add(frame(ctx, payload, true));
            }
            state = State.HEADER;
            return true;
        }
        int n = (int) Math.min(avail, left);
        ByteBuf piece = unmaskedSlice(ctx, in, n);
        boolean last = done == length;
        out.add(frame(ctx, piece, last));
        if (last) {
            state = State.HEADER;
        }
        return last;
    }

    /** Unmasks the next n payload bytes in place and returns them as a retained slice (a copy if read-only). */
    private ByteBuf unmaskedSlice(ChannelHandlerContext ctx, ByteBuf in, int n) {
        int start = in.readerIndex();
        int shift = (int) (done & 3);
        int m = shift == 0 ? mask : Integer.rotateLeft(mask, 8 * shift);
        done += n;
        if (in.isReadOnly()) {
            ByteBuf copy = ctx.alloc().buffer(n);
            copy.writeBytes(in, start, n);
            in.skipBytes(n);
            unmask(copy, 0, n, m);
            return copy;
        }
        unmask(in, start, n, m);
        return in.readRetainedSlice(n);
    }

    /**
     * XORs {@code n} bytes at {@code index} with the mask, whose first byte applies to the first byte.
     * Works on an NIO view in little-endian order (the CPU's on x86 and arm64), so each 8-byte step is
     * one unaligned load and store without the ByteBuf's per-access bounds and reference-count checks
     * and without byte swapping.
     */
    static void unmask(ByteBuf b, int index, int n, int mask) {
        if (n == 0) {
            return;
        }
        ByteBuffer nio = b.nioBufferCount() == 1 ? b.nioBuffer(index, n) : null;
        if (nio == null) {
            for (int k = 0; k < n; k++) {
                b.setByte(index + k, b.getByte(index + k) ^ (mask >>> (24 - 8 * (k & 3))));
            }
            return;
        }
        nio.order(ByteOrder.LITTLE_ENDIAN);
        int le = Integer.reverseBytes(mask); // the mask's first byte becomes the lowest
        long m8 = (le & 0xFFFFFFFFL) | ((long) le << 32);
        int i = 0;
        int end8 = n & ~7;
        for (; i < end8; i += 8) {
            nio.putLong(i, nio.getLong(i) ^ m8);
        }
        for (; i < n; i++) {
            nio.put(i, (byte) (nio.get(i) ^ (mask >>> (24 - 8 * (i & 3)))));
        }
    }

    /** A data frame (or one piece of one) in the shape the UTF-8 validator and the client handler expect. */
    private WebSocketFrame frame(ChannelHandlerContext ctx, ByteBuf payload, boolean endOfFrame) {
        if (opcode >= OP_CLOSE) {
            return control(ctx, null, payload);
        }
        boolean messageEnds = fin && endOfFrame;
        WebSocketFrame f;
        int rsv = rsv1 ? 4 : 0; // only a message's first frame can have RSV1 (checked with the header)
        if (started || opcode == OP_CONT) {
            f = new ContinuationWebSocketFrame(messageEnds, 0, payload);
        } else if (opcode == OP_TEXT) {
            f = new TextWebSocketFrame(messageEnds, rsv, payload);
        } else {
            f = new BinaryWebSocketFrame(messageEnds, rsv, payload);
        }
        if (!started && opcode != OP_CONT) {
            messageOpcode = opcode; // a message opens (and closes again below if this frame ends it)
            compressedMessage = rsv1;
        }
        started = true;
        if (messageEnds) {
            messageOpcode = 0;
        }
        return f;
    }

    /** @return the control frame, or null when a bad close body failed the connection */
    private WebSocketFrame control(ChannelHandlerContext ctx, ByteBuf in, ByteBuf payload) {
        switch (opcode) {
            case OP_PING:
                return new PingWebSocketFrame(payload);
            case OP_PONG:
                return new PongWebSocketFrame(payload);
            case OP_CLOSE:
            default:
                int n = payload.readableBytes();
                if (n >= 2) {
                    int code = payload.getUnsignedShort(payload.readerIndex());
                    String bad = null;
                    WebSocketCloseStatus status = WebSocketCloseStatus.PROTOCOL_ERROR;
                    if (!CloseCodes.validOnWire(code)) {
                        bad = "invalid close status code " + code;
                    } else if (n > 2 && Utf8.check(payload.nioBuffer(payload.readerIndex() + 2, n - 2), 0, n - 2) != 0) {
                        status = WebSocketCloseStatus.INVALID_PAYLOAD_DATA;
                        bad = "close reason is not valid UTF-8";
                    }
                    if (bad != null) {
                        payload.release();
                        fail(ctx, in, status, bad);
                        return null;
                    }
                }
                return new CloseWebSocketFrame(true, 0, payload);
        }
    }

    /**
     * Reports the violation to the connection, writes the close frame, closes, drops the rest of the
     * input. Nothing is thrown: the connection knows the close code before the close future fires.
     *
     * @return false, for the caller to return: nothing more is decoded
     */
    private boolean fail(ChannelHandlerContext ctx, ByteBuf in, WebSocketCloseStatus status, String why) {
        state = State.CORRUPT;
        if (in != null) {
            in.skipBytes(in.readableBytes());
        }
        violations.protocolViolation(status.code(), why);
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(new CloseWebSocketFrame(status.code(), why)).addListener(ChannelFutureListener.CLOSE);
        }
        return false;
    }
}
