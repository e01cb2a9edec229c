package io.websocksy.bridge.internal.http;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Decodes exactly one HTTP/1.1 request head, strictly: CRLF line endings only (bare LF is 400),
 * no obs-fold, no control bytes, token header names, no space before the colon. Enforces the
 * request-line limit (414), the header-section size and header-count limits (431) while bytes
 * arrive, so memory stays bounded whatever the client sends. Lines are consumed as they complete, so
 * a request trickled one byte per segment costs linear time.
 *
 * <p>After the head it emits an {@link HttpHead} (or an {@link HttpError}) and stops decoding: the
 * bytes that follow stay in the cumulation and are handed on, unparsed, when this handler is replaced
 * by the WebSocket frame decoder (a frame pipelined behind the handshake is not lost).
 */
public final class HttpHeadDecoder extends ByteToMessageDecoder {
    private final int maxRequestLine;
    private final int maxHeaderSize;
    private final int maxHeaders;

    private HttpHead head;
    private int headerBytes;
    private boolean done;

    public HttpHeadDecoder(int maxRequestLine, int maxHeaderSize, int maxHeaders) {
        this.maxRequestLine = maxRequestLine;
        this.maxHeaderSize = maxHeaderSize;
        this.maxHeaders = maxHeaders;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (!done && in.isReadable()) {
            int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            int limit = head == null ? maxRequestLine : maxHeaderSize - headerBytes;
            if (lf < 0) {
                if (in.readableBytes() > limit + 1) { // +1: the CR may already be here
                    fail(out, head == null ? 414 : 431, head == null ? "request line too long"
                            : "header section larger than " + maxHeaderSize + " bytes");
                }
                return;
            }
            int lineLen = lf - in.readerIndex();
            if (lineLen == 0 || in.getByte(lf - 1) != '\r') {
                fail(out, 400, "bare LF line ending");
                return;
            }
            int contentLen = lineLen - 1;
            if (contentLen > limit) {
                fail(out, head == null ? 414 : 431, head == null ? "request line too long"
                        : "header section larger than " + maxHeaderSize + " bytes");
                return;
            }
            String line = in.toString(in.readerIndex(), contentLen, StandardCharsets.ISO_8859_1);
            in.readerIndex(lf + 1);
            try {
                if (head == null) {
                    if (line.isEmpty()) {
                        continue; // RFC 9112 2.2: ignore empty lines before the request line
                    }
                    head = requestLine(line);
                } else if (line.isEmpty()) {
                    done = true;
                    out.add(head);
                } else {
                    headerBytes += lineLen + 1;
                    if (head.headers.size() >= maxHeaders) {
                        throw new HttpError(431, "more than " + maxHeaders + " header fields");
                    }
                    head.headers.add(headerLine(line));
                }
            } catch (HttpError e) {
                done = true;
                out.add(e);
            }
        }
    }

    private void fail(List<Object> out, int status, String cause) {
        done = true;
        out.add(new HttpError(status, cause));
    }

    private static HttpHead requestLine(String line) throws HttpError {
        int sp1 = line.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0) {
            throw new HttpError(400, "malformed request line");
        }
        String method = line.substring(0, sp1);
        String target = line.substring(sp1 + 1, sp2);
        String version = line.substring(sp2 + 1);
        if (!isToken(method) || target.isEmpty()) {
            throw new HttpError(400, "malformed request line");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new HttpError(400, "invalid character in request target");
            }
        }
        if (!version.startsWith("HTTP/")) {
            throw new HttpError(400, "malformed HTTP version");
        }
        return new HttpHead(method, target, version);
    }

    private static String[] headerLine(String line) throws HttpError {
        char first = line.charAt(0);
        if (first == ' ' || first == '\t') {
            throw new HttpError(400, "obsolete header line folding");
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
            throw new HttpError(400, "header line without a name and colon");
        }
        String name = line.substring(0, colon);
        if (!isToken(name)) {
            throw new HttpError(400, "invalid header name");
        }
        String value = line.substring(colon + 1);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw new HttpError(400, "control character in header " + name);
            }
        }
        return new String[] {name, value.strip()};
    }

    /** RFC 9110 token characters. */
    public static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
