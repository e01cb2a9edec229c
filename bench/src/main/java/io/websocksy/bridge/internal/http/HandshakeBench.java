package io.websocksy.bridge.internal.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.websocksy.bridge.internal.handshake.HandshakeValidator;

/**
 * The CPU part of the bridge's handshake path on one browser-like upgrade request: strict parsing of
 * the request head ({@code HttpHeadDecoder}), the RFC 6455 checks ({@code HandshakeValidator.validate})
 * and the {@code Sec-WebSocket-Accept} computation. Lives in the bridge's (private) {@code http}
 * package because {@code HttpHeadDecoder.decode} is protected; on the bench's plain class path that is
 * allowed, inside OSGi it would not be. Route look-up and peer connect are I/O and are measured end to end by the churn
 * scenario instead.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HandshakeBench {
    /** What Chromium sends (cookies and user agent included), about 600 bytes. */
    static final String REQUEST = "GET /vnc?token=8f14e45fceea167a5a36dedd4bea2543 HTTP/1.1\r\n"
            + "Host: gateway.example.com:8001\r\n"
            + "Connection: Upgrade\r\n"
            + "Pragma: no-cache\r\n"
            + "Cache-Control: no-cache\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/131.0.0.0 Safari/537.36\r\n"
            + "Upgrade: websocket\r\n"
            + "Origin: https://gateway.example.com\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Accept-Language: en-US,en;q=0.9,de;q=0.8\r\n"
            + "Cookie: session=2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae; theme=dark\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
            + "Sec-WebSocket-Protocol: binary, base64\r\n"
            + "\r\n";

    private ByteBuf request;
    private final List<Object> out = new ArrayList<>(1);

    /** Loads the request into a direct buffer, as it arrives from a socket. */
    @Setup
    public void setup() {
        byte[] b = REQUEST.getBytes(StandardCharsets.US_ASCII);
        request = Unpooled.directBuffer(b.length).writeBytes(b);
        String accept = parseValidateAccept();
        if (!"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=".equals(accept)) { // RFC 6455 section 1.3's example
            throw new IllegalStateException("unexpected Sec-WebSocket-Accept " + accept);
        }
    }

    /** Releases the buffer. */
    @TearDown
    public void tearDown() {
        request.release();
    }

    /** @return the accept value for the request (a new decoder per request, as per connection) */
    @Benchmark
    public String parseValidateAccept() {
        request.readerIndex(0);
        out.clear();
        new HttpHeadDecoder(4096, 8192, 100).decode(null, request, out);
        if (out.size() != 1 || !(out.get(0) instanceof HttpHead)) {
            throw new IllegalStateException("request not parsed: " + out);
        }
        try {
            HandshakeValidator.Valid v = HandshakeValidator.validate((HttpHead) out.get(0), 32);
            return HandshakeValidator.accept(v.key);
        } catch (HttpError e) {
            throw new IllegalStateException("request rejected: " + e.status + " " + e.getMessage());
        }
    }

    /** @return the accept value alone (SHA-1 + Base64) */
    @Benchmark
    public String acceptOnly() {
        return HandshakeValidator.accept("dGhlIHNhbXBsZSBub25jZQ==");
    }
}
