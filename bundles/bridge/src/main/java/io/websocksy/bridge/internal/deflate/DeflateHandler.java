package io.websocksy.bridge.internal.deflate;

import java.nio.ByteBuffer;
import java.util.zip.Deflater;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Compresses peer-to-client messages (RFC 7692), in front of the frame encoder. A whole text or
 * binary message of at least {@code compression-min-size} bytes goes out as one frame with RSV1 set;
 * shorter ones, fragments and control frames go out as they are.
 * <p>
 * With {@code server_no_context_takeover} agreed, a message is compressed in one go on the event
 * loop and the compressor is reset after it, so the connections of an event loop share one
 * {@link Deflater} per level: no compressor memory per connection. Otherwise the connection keeps
 * its own (JDK zlib: about 256 KiB of native memory at window 15, memLevel 8, whatever
 * {@code compression-window-bits} says), made with the first compressed message and ended with the
 * handler. A window below 15 bits is kept by full-flushing every 2^bits input bytes and after every
 * message (JDK zlib cannot be given a smaller window), so no back reference reaches further.
 */
public final class DeflateHandler extends ChannelOutboundHandlerAdapter {
    private static final FastThreadLocal<Deflater[]> SHARED = new FastThreadLocal<Deflater[]>() {
        @Override
        protected Deflater[] initialValue() {
            return new Deflater[10];
        }

        @Override
        protected void onRemoval(Deflater[] value) {
            for (Deflater d : value) {
                if (d != null) {
                    d.end();
                }
            }
        }
    };

    private static final byte[] NOTHING = new byte[0];

    private final int level;
    private final int minSize;
    private final boolean resetPerMessage;
    /** Input bytes between full flushes; 0 = no limit (15-bit window). */
    private final int window;
    private Deflater own;
    /** Whether an uncompressed fragmented message is going out (its continuations pass as they are). */
    private boolean fragmentedMessage;

    public DeflateHandler(Negotiation.Agreed agreed) {
        this.level = agreed.config.level;
        this.minSize = agreed.config.minSize;
        this.window = agreed.serverWindowBits < 15 ? 1 << agreed.serverWindowBits : 0;
        this.resetPerMessage = agreed.serverNoContextTakeover || window != 0;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame)) {
            ctx.write(msg, promise); // control frames, continuations
            return;
        }
        WebSocketFrame f = (WebSocketFrame) msg;
        if (!f.isFinalFragment()) {
            fragmentedMessage = true;
        }
        if (fragmentedMessage || f.rsv() != 0 || f.content().readableBytes() < minSize) {
            if (f.isFinalFragment()) {
                fragmentedMessage = false;
            }
            ctx.write(msg, promise);
            return;
        }
        ByteBuf compressed;
        try {
            compressed = compress(ctx, f.content());
        } finally {
            f.release();
        }
        ctx.write(msg instanceof TextWebSocketFrame ? new TextWebSocketFrame(true, 4, compressed)
                : new BinaryWebSocketFrame(true, 4, compressed), promise);
    }

    private Deflater deflater() {
        if (!resetPerMessage) {
            if (own == null) {
                own = new Deflater(level, true);
            }
            return own;
        }
        Deflater[] shared = SHARED.get();
        if (shared[level] == null) {
            shared[level] = new Deflater(level, true);
        }
        return shared[level];
    }

    /** @return the message's compressed payload without the trailing 00 00 FF FF (RFC 7692 7.2.1) */
    ByteBuf compress(ChannelHandlerContext ctx, ByteBuf in) {
        Deflater d = deflater();
        int n = in.readableBytes();
        ByteBuf out = ctx.alloc().buffer(Math.max(64, n / 2 + 16));
        boolean ok = false;
        try {
            int step = window == 0 ? Math.max(n, 1) : window;
            int at = in.readerIndex();
            int end = at + n;
            do {
                int len = Math.min(step, end - at);
                d.setInput(in.nioBuffer(at, len));
                at += len;
                int mode = window == 0 ? Deflater.SYNC_FLUSH : Deflater.FULL_FLUSH;
                while (true) {
                    if (!out.isWritable()) {
                        out.ensureWritable(Math.max(64, out.capacity() / 2));
                    }
                    ByteBuffer dst = out.nioBuffer(out.writerIndex(), out.writableBytes());
                    int k = d.deflate(dst, mode);
                    out.writerIndex(out.writerIndex() + k);
                    if (out.isWritable() && d.needsInput()) {
                        break; // all input taken and all output flushed
                    }
                }
            } while (at < end);
            int w = out.writerIndex();
            if (w >= 4 && out.getInt(w - 4) == 0x0000FFFF) {
                out.writerIndex(w - 4);
            }
            ok = true;
            return out;
        } finally {
            d.setInput(NOTHING); // no reference to the message's buffer
            if (resetPerMessage) {
                d.reset();
            }
            if (!ok) {
                out.release();
            }
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (own != null) {
            own.end();
            own = null;
        }
    }
}
