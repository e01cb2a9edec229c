package io.websocksy.bridge.internal.deflate;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Inflates the client's compressed messages (RFC 7692), between the frame decoder and the UTF-8
 * validator, so text is checked after inflating. The frame decoder marks the first frame of a
 * compressed message with RSV1 and hands every frame of such a message on whole (a frame is at most
 * {@code max-frame-size} compressed bytes); uncompressed messages and control frames pass untouched.
 * <p>
 * The limits count <em>inflated</em> bytes while inflating, {@value #CHUNK} bytes at a time at most and
 * never more than one byte past the limit: an inflated frame over {@code max-frame-size} or an inflated
 * message over {@code max-message-size} is closed with {@code 1009} at that point, so a small frame
 * that would inflate to gigabytes costs at most the limit (RELIABILITY L6). A binary frame's inflated
 * bytes go on in pieces as they come out; a text frame goes on whole once inflated, like an uncompressed
 * text frame, so the validator sees it before any of it reaches the peer. Data that does not inflate gets
 * {@code 1007}. The {@link Inflater} (about 40 KiB of native memory: a 32 KiB window and its state) is
 * made with the first compressed message and ended when the handler goes.
 */
public final class InflateHandler extends ChannelInboundHandlerAdapter {
    /** Most inflated bytes per output buffer. */
    static final int CHUNK = 32 * 1024;
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    private final long maxFrame;
    private final long maxMessage;
    private final boolean resetPerMessage;
    private Inflater inflater;
    /** Whether the message in progress is compressed. */
    private boolean compressed;
    /** Whether the message in progress is text. */
    private boolean text;
    /** Whether a frame of the message in progress went on already (the next is a continuation). */
    private boolean started;
    private long messageBytes;
    private boolean failed;
    /** Told of a violation (1009, 1007) before the close frame goes: the connection's close line and metrics. */
    private final Violations violations;

    /** Where a violation is reported: {@code Connection::protocolViolation} in the bridge. */
    @FunctionalInterface
    public interface Violations {
        /**
         * @param code the close code the client is sent
         * @param reason the cause, also the close frame's reason
         */
        void protocolViolation(int code, String reason);
    }

    /**
     * @param maxFrame most inflated bytes per frame ({@code max-frame-size})
     * @param maxMessage most inflated bytes per message ({@code max-message-size})
     * @param clientNoContextTakeover whether the client resets its compressor after every message
     * @param violations told of a violation before the close frame is sent
     */
    public InflateHandler(int maxFrame, int maxMessage, boolean clientNoContextTakeover, Violations violations) {
        this.violations = violations;
        this.maxFrame = maxFrame;
        this.maxMessage = maxMessage;
        this.resetPerMessage = clientNoContextTakeover;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (failed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
            WebSocketFrame f = (WebSocketFrame) msg;
            compressed = (f.rsv() & 4) != 0;
            if (!compressed) {
                ctx.fireChannelRead(msg);
                return;
            }
            text = msg instanceof TextWebSocketFrame;
            started = false;
            messageBytes = 0;
            inflate(ctx, f);
        } else if (msg instanceof ContinuationWebSocketFrame && compressed) {
            inflate(ctx, (WebSocketFrame) msg);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void inflate(ChannelHandlerContext ctx, WebSocketFrame f) {
        boolean fin = f.isFinalFragment();
        endsMessage = fin;
        ByteBuf in = f.content();
        if (inflater == null) {
            inflater = new Inflater(true);
        }
        CompositeByteBuf whole = text ? ctx.alloc().compositeBuffer(Integer.MAX_VALUE) : null;
        ByteBuf out = null;
        long frameBytes = 0;
        boolean tailGiven = !fin;
        try {
            inflater.setInput(in.nioBuffer(in.readerIndex(), in.readableBytes()));
            while (true) {
                if (out == null) {
                    long room = Math.min(maxFrame - frameBytes, maxMessage - messageBytes) + 1;
                    out = ctx.alloc().buffer((int) Math.min(CHUNK, room));
                }
                ByteBuffer dst = out.nioBuffer(out.writerIndex(), out.writableBytes());
                int n = inflater.inflate(dst);
                out.writerIndex(out.writerIndex() + n);
                frameBytes += n;
                messageBytes += n;
                if (frameBytes > maxFrame || messageBytes > maxMessage) {
                    out.release();
                    out = null;
                    String why = frameBytes > maxFrame
                            ? "inflated frame larger than max-frame-size " + maxFrame + " bytes"
                            : "inflated message larger than max-message-size " + maxMessage + " bytes";
                    fail(ctx, WebSocketCloseStatus.MESSAGE_TOO_BIG, why);
                    return;
                }
                if (!out.isWritable()) {
                    out = emit(ctx, whole, out, false);
                    continue;
                }
                if (n == 0) {
                    if (inflater.finished()) {
                        break; // a final deflate block (BFINAL): the rest of the input is ignored
                    }
                    if (inflater.needsDictionary()) {
                        fail(ctx, WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "compressed data asks for a dictionary");
                        return;
                    }
                    if (!inflater.needsInput() || tailGiven) {
                        break;
                    }
                    tailGiven = true;
                    inflater.setInput(TAIL);
                }
            }
            if (!fin && out.readableBytes() == 0 && !text) {
                out.release(); // nothing more of this frame, and the message goes on
            } else {
                emit(ctx, whole, out, true);
                whole = null;
            }
            out = null;
            if (fin) {
                endOfMessage();
            }
        } catch (DataFormatException e) {
            fail(ctx, WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "compressed data does not inflate: " + e.getMessage());
        } finally {
            f.release();
            if (out != null) {
                out.release();
            }
            if (whole != null) {
                whole.release();
            }
            if (inflater != null) {
                inflater.setInput(TAIL, 0, 0); // holds no reference to the released frame
            }
        }
    }

    /**
     * Passes one piece on: a binary piece at once, a text piece into the whole frame.
     *
     * @param last whether it is the frame's last piece (then the text frame goes on as well)
     * @return a fresh buffer for the next piece, null after the last
     */
    private ByteBuf emit(ChannelHandlerContext ctx, CompositeByteBuf whole, ByteBuf piece, boolean last) {
        boolean messageEnds = last && endsMessage;
        if (whole != null) {
            whole.addComponent(true, piece);
            if (!last) {
                return null;
            }
            piece = whole;
        }
        WebSocketFrame f;
        if (started) {
            f = new ContinuationWebSocketFrame(messageEnds, 0, piece);
        } else if (text) {
            f = new TextWebSocketFrame(messageEnds, 0, piece);
        } else {
            f = new BinaryWebSocketFrame(messageEnds, 0, piece);
        }
        started = true;
        ctx.fireChannelRead(f);
        return null;
    }

    /** Set while a frame is inflated: whether it is the message's last. */
    private boolean endsMessage;

    private void endOfMessage() {
        compressed = false;
        if (resetPerMessage || inflater.finished()) {
            inflater.reset();
        }
    }

    /** Reports the violation, sends the close frame and closes; what follows from the client is dropped. */
    private void fail(ChannelHandlerContext ctx, WebSocketCloseStatus status, String why) {
        failed = true;
        violations.protocolViolation(status.code(), why);
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(new CloseWebSocketFrame(status.code(), why)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        handlerRemoved(ctx);
        ctx.fireChannelInactive();
    }
}
