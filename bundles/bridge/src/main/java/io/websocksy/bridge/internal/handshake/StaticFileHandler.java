package io.websocksy.bridge.internal.handshake;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.websocksy.bridge.internal.config.ListenerSettings;
import io.websocksy.bridge.internal.http.HttpError;
import io.websocksy.bridge.internal.security.ClientAddress;
import io.websocksy.bridge.internal.http.HttpHead;
import io.websocksy.bridge.internal.http.Responses;
import io.websocksy.bridge.internal.http.ContentTypes;
import io.websocksy.bridge.internal.http.WebRoot;

/**
 * Answers a plain {@code GET} or {@code HEAD} (not a WebSocket upgrade) from the listener's
 * {@code web} directory ({@link WebRoot}). It takes the place of the {@link UpgradeHandler} for the
 * request; afterwards, on a keep-alive connection, it waits for the next request head (at most
 * {@code handshake-timeout} seconds, then the connection is closed) and either answers it too or
 * hands it to a fresh {@link UpgradeHandler}, so a WebSocket upgrade on the same connection is bridged
 * as usual.
 *
 * <p>Path resolution, stat and open run on the route executor, never on the event loop. The body goes
 * out as a zero-copy {@link DefaultFileRegion} without TLS; under TLS in 64 KiB chunks read on the route
 * executor, one chunk in flight at a time (the next is read when the previous one is written), so a
 * slow client holds one chunk, not the file. While a response is going out nothing is read from the
 * client (pipelined requests wait in the head decoder).
 */
public final class StaticFileHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(StaticFileHandler.class);
    static final int CHUNK = 64 * 1024;
    static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private final ListenerContext context;
    private final ListenerSettings s;
    private final WebRoot web;
    private ScheduledFuture<?> idleTimer;
    /** while a file body goes out: closes the connection when no byte moved for write-timeout seconds */
    private ScheduledFuture<?> stallTimer;
    /** bytes of the current body handed to the socket so far (region progress or chunks written) */
    private volatile long sent;
    /** a request is being answered */
    private boolean busy;
    /** the file being sent in chunks (TLS), or opened and not yet handed on */
    private FileChannel file;
    private boolean inactive;

    private StaticFileHandler(ListenerContext context) {
        this.context = context;
        this.s = context.settings();
        this.web = s.web;
    }

    /** @return true when the listener serves files and the request is a plain GET or HEAD */
    static boolean wants(ListenerSettings s, HttpHead head) {
        return s.web != null && (head.method.equals("GET") || head.method.equals("HEAD"))
                && !head.hasToken("upgrade", "websocket");
    }

    /** Replaces the upgrade handler of {@code ctx} by a static file handler that answers {@code head}. */
    static void takeOver(ChannelHandlerContext upgradeCtx, ListenerContext context, HttpHead head) {
        StaticFileHandler h = new StaticFileHandler(context);
        context.serveFiles(upgradeCtx.pipeline(), upgradeCtx.handler(), h);
        h.request(upgradeCtx.pipeline().context(h), head);
    }

    private static String what(HttpHead head) {
        return head.method + " " + (head.target.length() > 200 ? head.target.substring(0, 200) + "..." : head.target);
    }

    /** One request: the checks of a plain request, then resolution off the event loop. */
    private void request(ChannelHandlerContext ctx, HttpHead head) {
        busy = true;
        String what = what(head);
        boolean http11 = head.version.equals("HTTP/1.1");
        if (!http11 && !head.version.equals("HTTP/1.0")) {
            reject(ctx, what, 400, "unsupported HTTP version " + head.version);
            return;
        }
        if (http11 && (head.all("host").size() != 1 || head.first("host").isEmpty())) {
            reject(ctx, what, 400, head.all("host").isEmpty() ? "missing Host" : "Host must be given exactly once");
            return;
        }
        java.util.List<String> lengths = head.all("content-length");
        boolean emptyBody = lengths.isEmpty() || (lengths.size() == 1 && lengths.get(0).equals("0"));
        if (!emptyBody || !head.all("transfer-encoding").isEmpty()) {
            reject(ctx, what, 400, head.method + " with a body (Content-Length / Transfer-Encoding)");
            return;
        }
        if (!head.target.startsWith("/")) {
            reject(ctx, what, 400, "request target is not an absolute path");
            return;
        }
        if (head.target.indexOf('#') >= 0) {
            reject(ctx, what, 400, "fragment in request target");
            return;
        }
        boolean keepAlive = http11 ? !head.hasToken("connection", "close") : head.hasToken("connection", "keep-alive");
        Executor exec = context.routeExecutor();
        try {
            exec.execute(() -> {
                WebRoot.Resolved r = web.resolve(head.target);
                FileChannel fc = null;
                if (r.kind == WebRoot.Kind.FILE) {
                    try {
                        fc = FileChannel.open(r.path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                    } catch (IOException | SecurityException e) {
                        r = WebRoot.Resolved.notFound("cannot open (" + e.getClass().getSimpleName() + ")");
                    }
                }
                WebRoot.Resolved done = r;
                FileChannel opened = fc;
                try {
                    ctx.executor().execute(() -> respond(ctx, head, what, keepAlive, done, opened));
                } catch (RejectedExecutionException e) {
                    closeQuietly(opened);
                }
            });
        } catch (RejectedExecutionException e) {
            reject(ctx, what, 503, "route executor saturated");
        }
    }

    private void respond(ChannelHandlerContext ctx, HttpHead head, String what, boolean keepAlive,
            WebRoot.Resolved r, FileChannel fc) {
        if (inactive || !ctx.channel().isActive()) {
            closeQuietly(fc);
            return;
        }
        boolean headOnly = head.method.equals("HEAD");
        switch (r.kind) {
            case NOT_FOUND:
                reject(ctx, what, 404, r.text);
                return;
            case REDIRECT: {
                StringBuilder h = status(301, "Moved Permanently");
                h.append("Location: ").append(r.text).append("\r\n");
                h.append("Content-Length: 0\r\n");
                end(ctx, h, keepAlive, null);
                return;
            }
            case LISTING: {
                byte[] body = listing(head.target, r).getBytes(StandardCharsets.UTF_8);
                StringBuilder h = status(200, "OK");
                h.append("Content-Type: text/html; charset=utf-8\r\n");
                h.append("Content-Length: ").append(body.length).append("\r\n");
                h.append("Cache-Control: no-cache\r\n");
                end(ctx, h, keepAlive, headOnly ? null : body);
                return;
            }
            default:
                file(ctx, head, keepAlive, headOnly, r, fc);
        }
    }

    private void file(ChannelHandlerContext ctx, HttpHead head, boolean keepAlive, boolean headOnly,
            WebRoot.Resolved r, FileChannel fc) {
        long size;
        try {
            size = fc.size();
        } catch (IOException e) {
            closeQuietly(fc);
            reject(ctx, what(head), 404, "cannot read (" + e.getClass().getSimpleName() + ")");
            return;
        }
        long mtime = r.attrs.lastModifiedTime().toMillis();
        String etag = "\"" + Long.toHexString(size) + "-" + Long.toHexString(mtime) + "\"";
        String lastModified = HTTP_DATE.format(Instant.ofEpochMilli(mtime));
        if (notModified(head, etag, mtime)) {
            closeQuietly(fc);
            StringBuilder h = status(304, "Not Modified");
            validators(h, etag, lastModified);
            end(ctx, h, keepAlive, null);
            return;
        }
        StringBuilder h = status(200, "OK");
        h.append("Content-Type: ").append(ContentTypes.of(r.path.getFileName().toString())).append("\r\n");
        h.append("Content-Length: ").append(size).append("\r\n");
        validators(h, etag, lastModified);
        if (headOnly || size == 0) {
            closeQuietly(fc);
            end(ctx, h, keepAlive, null);
            return;
        }
        h.append(keepAlive ? "" : "Connection: close\r\n").append("\r\n");
        ctx.write(ascii(ctx, h));
        sent = 0;
        watchStall(ctx, r.path.getFileName().toString(), 0);
        if (ctx.pipeline().get(SslHandler.class) == null) {
            DefaultFileRegion region = new DefaultFileRegion(fc, 0, size); // owns fc from here and closes it
            ctx.writeAndFlush(region, ctx.newProgressivePromise())
                    .addListener(new io.netty.channel.ChannelProgressiveFutureListener() {
                        @Override
                        public void operationProgressed(io.netty.channel.ChannelProgressiveFuture f, long progress,
                                long total) {
                            sent = progress;
                        }

                        @Override
                        public void operationComplete(io.netty.channel.ChannelProgressiveFuture f) {
                            written(ctx, f.isSuccess(), keepAlive);
                        }
                    });
        } else {
            file = fc;
            ctx.flush();
            chunk(ctx, 0, size, keepAlive);
        }
    }

    /** Reads the chunk at {@code pos} on the route executor, writes it on the event loop, then the next. */
    private void chunk(ChannelHandlerContext ctx, long pos, long size, boolean keepAlive) {
        FileChannel fc = file;
        int n = (int) Math.min(CHUNK, size - pos);
        try {
            context.routeExecutor().execute(() -> {
                ByteBuf b = ctx.alloc().ioBuffer(n);
                try {
                    while (b.readableBytes() < n) {
                        if (b.writeBytes(fc, pos + b.readableBytes(), n - b.readableBytes()) < 0) {
                            throw new EOFException("file shorter than when it was opened");
                        }
                    }
                } catch (IOException e) {
                    b.release();
                    LOG.warn("listener {}: reading {} failed: {}", s.name, fc, e.toString());
                    ctx.channel().close();
                    return;
                }
                try {
                    ctx.executor().execute(() -> {
                        if (inactive) {
                            b.release();
                            return;
                        }
                        long next = pos + n;
                        ctx.writeAndFlush(b).addListener(f -> {
                            sent = next;
                            if (!f.isSuccess() || next >= size) {
                                closeQuietly(file);
                                file = null;
                                written(ctx, f.isSuccess(), keepAlive);
                            } else {
                                chunk(ctx, next, size, keepAlive);
                            }
                        });
                    });
                } catch (RejectedExecutionException e) {
                    b.release();
                }
            });
        } catch (RejectedExecutionException e) {
            ctx.channel().close();
        }
    }

    private static boolean notModified(HttpHead head, String etag, long mtime) {
        java.util.List<String> inm = head.all("if-none-match");
        if (!inm.isEmpty()) {
            for (String v : inm) {
                for (String t : v.split(",")) {
                    String tag = t.trim();
                    if (tag.startsWith("W/")) {
                        tag = tag.substring(2);
                    }
                    if (tag.equals("*") || tag.equals(etag)) {
                        return true;
                    }
                }
            }
            return false; // If-Modified-Since is ignored when If-None-Match is present (RFC 9110 13.1.3)
        }
        String ims = head.first("if-modified-since");
        if (ims == null) {
            return false;
        }
        try {
            long since = ZonedDateTime.parse(ims, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().getEpochSecond();
            return mtime / 1000 <= since;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private void validators(StringBuilder h, String etag, String lastModified) {
        h.append("ETag: ").append(etag).append("\r\n");
        h.append("Last-Modified: ").append(lastModified).append("\r\n");
        if (!web.cacheControl.isEmpty()) {
            h.append("Cache-Control: ").append(web.cacheControl).append("\r\n");
        }
    }

    private static StringBuilder status(int code, String reason) {
        StringBuilder h = new StringBuilder(256);
        h.append("HTTP/1.1 ").append(code).append(' ').append(reason).append("\r\n");
        h.append("X-Content-Type-Options: nosniff\r\n");
        return h;
    }

    /** Writes a head (and a small body), then waits for the next request or closes. */
    private void end(ChannelHandlerContext ctx, StringBuilder h, boolean keepAlive, byte[] body) {
        h.append(keepAlive ? "" : "Connection: close\r\n").append("\r\n");
        ByteBuf b = ascii(ctx, h);
        if (body != null) {
            b.writeBytes(body);
        }
        ctx.writeAndFlush(b).addListener(f -> written(ctx, f.isSuccess(), keepAlive));
    }

    /**
     * Every {@code write-timeout} seconds while a body goes out: a client that took none of it since the
     * last check (it stopped reading) is closed, with one log line, so it holds neither the socket nor
     * the file.
     */
    private void watchStall(ChannelHandlerContext ctx, String name, long before) {
        stallTimer = ctx.executor().schedule(() -> {
            if (!busy || inactive) {
                return;
            }
            long now = sent;
            if (now == before) {
                LOG.info("listener {}: {} closed: it took no bytes of {} for {} s (write-timeout)", s.name,
                        ClientAddress.format(ClientAddress.of(ctx.channel())), name, s.writeTimeout);
                ctx.channel().close();
                return;
            }
            watchStall(ctx, name, now);
        }, s.writeTimeout, TimeUnit.SECONDS);
    }

    private void written(ChannelHandlerContext ctx, boolean ok, boolean keepAlive) {
        if (stallTimer != null) {
            stallTimer.cancel(false);
            stallTimer = null;
        }
        if (!ok || !keepAlive || inactive) {
            ctx.channel().close();
            return;
        }
        next(ctx);
    }

    /** Keep-alive: a fresh head decoder (bytes the client pipelined go into it), bounded idle wait. */
    private void next(ChannelHandlerContext ctx) {
        busy = false;
        idleTimer = ctx.executor().schedule(() -> {
            if (!busy && ctx.channel().isOpen()) {
                LOG.debug("listener {}: keep-alive connection idle for {} s, closed", s.name, s.handshakeTimeout);
                ctx.channel().close();
            }
        }, s.handshakeTimeout, TimeUnit.SECONDS);
        context.nextRequest(ctx.pipeline());
        if (!busy) {
            ctx.read();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (busy || !(msg instanceof HttpHead || msg instanceof HttpError)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (idleTimer != null) {
            idleTimer.cancel(false);
        }
        if (msg instanceof HttpError) {
            busy = true;
            reject(ctx, "-", ((HttpError) msg).status, ((HttpError) msg).getMessage());
            return;
        }
        HttpHead head = (HttpHead) msg;
        context.resolveClient(ctx.channel(), head);
        if (wants(s, head)) {
            request(ctx, head);
            return;
        }
        busy = true;
        UpgradeHandler u = context.upgradeAfterFiles(ctx.pipeline(), this);
        u.channelRead(ctx.pipeline().context(u), head);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!busy && !inactive) {
            ctx.read();
        }
    }

    private void reject(ChannelHandlerContext ctx, String what, int status, String cause) {
        context.rejected(ctx.channel(), what, status, cause);
        if (ctx.channel().isActive()) {
            Responses.error(ctx.channel(), status);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inactive = true;
        if (idleTimer != null) {
            idleTimer.cancel(false);
        }
        if (stallTimer != null) {
            stallTimer.cancel(false);
        }
        closeQuietly(file);
        file = null;
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("listener {}: static file connection failed: {}", s.name, cause.toString());
        ctx.close();
    }

    private static ByteBuf ascii(ChannelHandlerContext ctx, CharSequence s) {
        ByteBuf b = ctx.alloc().buffer(s.length() + 16);
        b.writeCharSequence(s, StandardCharsets.US_ASCII);
        return b;
    }

    private static void closeQuietly(FileChannel fc) {
        if (fc != null) {
            try {
                fc.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }

    private static String listing(String target, WebRoot.Resolved r) {
        int q = target.indexOf('?');
        String path = q >= 0 ? target.substring(0, q) : target;
        String title = "Index of " + escape(path);
        StringBuilder sb = new StringBuilder(512);
        sb.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(title)
                .append("</title></head>\n<body><h1>").append(title).append("</h1>\n<ul>\n");
        if (!path.equals("/")) {
            sb.append("<li><a href=\"../\">../</a></li>\n");
        }
        for (String e : r.entries) {
            boolean dir = e.endsWith("/");
            String name = dir ? e.substring(0, e.length() - 1) : e;
            sb.append("<li><a href=\"").append(WebRoot.encodeSegment(name)).append(dir ? "/" : "").append("\">")
                    .append(escape(e)).append("</a></li>\n");
        }
        return sb.append("</ul></body></html>\n").toString();
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<': sb.append("&lt;"); break;
                case '>': sb.append("&gt;"); break;
                case '&': sb.append("&amp;"); break;
                case '"': sb.append("&quot;"); break;
                case '\'': sb.append("&#39;"); break;
                default: sb.append(c);
            }
        }
        return sb.toString();
    }
}
