package io.websocksy.itests.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * WebSocket exchanges over a socket the test made itself (TLS, or with a PROXY protocol header in
 * front of the request): the upgrade request, the response head, and masked text frames echoed back.
 */
public final class SockWs {
    private SockWs() {
    }

    /** @return a connected plain socket to 127.0.0.1:port, 10 s read timeout */
    public static Socket plain(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(Ports.LOOPBACK, port), 2000);
        s.setSoTimeout(10_000);
        return s;
    }

    /** @return a TLS socket to 127.0.0.1:port, not yet handshaken */
    public static SSLSocket tls(SSLContext ctx, int port) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(Ports.LOOPBACK, port);
        s.setSoTimeout(10_000);
        return s;
    }

    /** @return an upgrade request for {@code path} with extra header lines */
    public static String upgrade(String path, String... headers) {
        StringBuilder sb = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        return sb.append("\r\n").toString();
    }

    /**
     * Sends {@code prefix} (e.g. a PROXY header) and {@code request}, then reads the response head.
     *
     * @return the head, or the empty string when the server closed without answering
     */
    public static String exchange(Socket s, byte[] prefix, String request) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(prefix);
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = s.getInputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        try {
            while (state < 4) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                b.write(c);
                state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3))
                        ? state + 1 : 0;
            }
        } catch (java.net.SocketException e) {
            // reset: treated as closed
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** @return the response head to a plain upgrade */
    public static String exchange(Socket s, String request) throws IOException {
        return exchange(s, new byte[0], request);
    }

    /** Sends one masked text frame (payload below 126 bytes) and returns the text frame that comes back. */
    public static String echo(Socket s, String text) throws IOException {
        byte[] p = text.getBytes(StandardCharsets.UTF_8);
        if (p.length > 125) {
            throw new IllegalArgumentException("short texts only");
        }
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x81);
        f.write(0x80 | p.length);
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        f.write(mask, 0, 4);
        for (int i = 0; i < p.length; i++) {
            f.write(p[i] ^ mask[i & 3]);
        }
        s.getOutputStream().write(f.toByteArray());
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        int b0 = in.read();
        int n = in.read() & 0x7f;
        if (b0 != 0x81 || n > 125) {
            throw new IOException("expected a short text frame, got 0x" + Integer.toHexString(b0) + " length " + n);
        }
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }
}
