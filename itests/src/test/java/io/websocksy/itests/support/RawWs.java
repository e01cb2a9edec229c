package io.websocksy.itests.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The raw WebSocket client of the tests, over a {@link Socket}: handshake, masked client frames,
 * unmasked server frames. Its static helpers serve a socket the test made itself (TLS, or with a
 * PROXY protocol header in front of the request): the upgrade request, the response head, and one
 * masked text frame echoed back.
 */
public final class RawWs implements AutoCloseable {
    public static final int TEXT = 1;
    public static final int BINARY = 2;
    public static final int CLOSE = 8;
    public static final int PING = 9;
    public static final int PONG = 10;

    /** One server frame. */
    public static final class Frame {
        public final boolean fin;
        public final int opcode;
        public final byte[] payload;
        /** The RSV bits (4 = RSV1: a permessage-deflate compressed message). */
        public final int rsv;

        Frame(boolean fin, int opcode, byte[] payload) {
            this(fin, opcode, payload, 0);
        }

        Frame(boolean fin, int opcode, byte[] payload, int rsv) {
            this.fin = fin;
            this.opcode = opcode;
            this.payload = payload;
            this.rsv = rsv;
        }

        /** @return the close code of a close frame, or -1 when its payload is empty */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
        }

        @Override
        public String toString() {
            return "Frame[op=" + opcode + ", fin=" + fin + (rsv != 0 ? ", rsv=" + rsv : "") + ", len=" + payload.length
                    + (opcode == CLOSE ? ", code=" + closeCode() : "") + "]";
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    public final RawHttp.Response handshake;

    private RawWs(Socket socket, RawHttp.Response handshake) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.handshake = handshake;
    }

    /**
     * Connects and performs the opening handshake; fails unless the answer is 101.
     *
     * @param port port on 127.0.0.1
     * @param request the upgrade request
     * @return the open connection
     */
    public static RawWs open(int port, RawHttp.Request request) throws IOException {
        return open(port, request, Chop.WHOLE, 0);
    }

    /**
     * Connects and performs the opening handshake, the request written in the given chop mode; fails
     * unless the answer is 101.
     *
     * @param port port on 127.0.0.1
     * @param request the upgrade request
     * @param chop how the request bytes are cut into TCP writes
     * @param seed seed for random chops
     * @return the open connection
     */
    public static RawWs open(int port, RawHttp.Request request, Chop chop, long seed) throws IOException {
        return open(port, request.bytes(), chop, seed);
    }

    /**
     * Like {@link #open(int, RawHttp.Request, Chop, long)} with raw bytes: the request and anything
     * pipelined behind it.
     */
    public static RawWs open(int port, byte[] request, Chop chop, long seed) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(Ports.LOOPBACK, port), 2000);
            s.setSoTimeout(10_000);
            s.setTcpNoDelay(true);
            chop.write(s.getOutputStream(), request, seed);
            InputStream in = s.getInputStream();
            String head = RawHttp.readHead(in);
            RawHttp.Response r = new RawHttp.Response(head, parse(head), new byte[0], false);
            if (r.status != 101) {
                throw new AssertionError("expected 101, got " + r);
            }
            return new RawWs(s, r);
        } catch (IOException | RuntimeException | Error e) {
            s.close();
            throw e;
        }
    }

    private static java.util.List<java.util.Map.Entry<String, String>> parse(String head) {
        java.util.List<java.util.Map.Entry<String, String>> out = new java.util.ArrayList<>();
        String[] lines = head.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                out.add(java.util.Map.entry(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()));
            }
        }
        return out;
    }

    /** @return the socket (for options such as SO_LINGER) */
    public Socket socket() {
        return socket;
    }

    /** Writes raw bytes in a chop mode. */
    public void sendRaw(byte[] bytes, Chop chop, long seed) throws IOException {
        chop.write(out, bytes, seed);
    }

    /**
     * Writes hostile bytes in a chop mode, stopping as soon as the server has answered (it may close
     * at the first bad header, before the rest is written) and ignoring a write that fails because
     * the server already closed.
     */
    public void sendHostile(byte[] bytes, Chop chop, long seed) throws IOException {
        try {
            chop.write(out, bytes, seed, () -> {
                try {
                    return in.available() > 0;
                } catch (IOException e) {
                    return true;
                }
            });
        } catch (SocketException e) {
            // the server closed while the rest was being written: its answer is already on the way
        }
    }

    /** Writes one built frame in a chop mode. */
    public void send(WsFrame f, Chop chop, long seed) throws IOException {
        sendRaw(f.bytes(), chop, seed);
    }

    /** Writes one built frame whole. */
    public void send(WsFrame f) throws IOException {
        sendRaw(f.bytes(), Chop.WHOLE, 0);
    }

    /**
     * What the server sent until it closed: the frames before its close frame, the close frame,
     * whether TCP was closed afterwards, and any violation of docs/conformance.md INV-5 seen on the way.
     */
    public static final class Outcome {
        public final java.util.List<Frame> before = new java.util.ArrayList<>();
        public Frame close;
        public boolean tcpClosed;
        public final java.util.List<String> violations = new java.util.ArrayList<>();

        /** @return the close code, -1 for an empty close payload, 0 when no close frame came */
        public int code() {
            return close == null ? 0 : close.closeCode();
        }

        @Override
        public String toString() {
            return (close == null ? "no close frame" : "close " + code()) + (tcpClosed ? ", TCP closed" : ", TCP open")
                    + (before.isEmpty() ? "" : ", " + before.size() + " frame(s) before") + (violations.isEmpty() ? ""
                    : ", INV-5 violations " + violations);
        }
    }

    /**
     * Reads until the server's close frame (or EOF), then checks that nothing else follows and that
     * the server closes TCP within {@code tcpCloseMillis}.
     *
     * @param timeoutMillis how long to wait for the close frame
     * @param tcpCloseMillis how long the server may take to close TCP after it
     * @return the outcome
     */
    public Outcome awaitClose(int timeoutMillis, int tcpCloseMillis) throws IOException {
        Outcome o = new Outcome();
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (o.close == null) {
            int left = (int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            Frame f;
            try {
                f = read(left);
            } catch (java.io.EOFException | SocketException e) {
                o.tcpClosed = true;
                return o;
            }
            if (f.opcode == CLOSE) {
                o.close = f;
                try {
                    // a well-behaved client answers the server's close (RFC 6455 5.5.1) with the same code
                    byte[] code = f.payload.length >= 2 ? new byte[] {f.payload[0], f.payload[1]} : new byte[0];
                    send(true, CLOSE, code);
                } catch (IOException e) {
                    // the server already closed TCP (a protocol violation closes at once)
                }
            } else {
                o.before.add(f);
            }
        }
        byte[] p = o.close.payload;
        if (p.length == 1 || p.length > 125) {
            o.violations.add("close payload of " + p.length + " bytes");
        }
        int code = o.close.closeCode();
        if (code == 1005 || code == 1006 || code == 1015) {
            o.violations.add("close code " + code + " on the wire");
        }
        if (p.length > 2 && !io.websocksy.itests.support.Utf8Check.valid(p, 2, p.length - 2)) {
            o.violations.add("close reason is not UTF-8");
        }
        socket.setSoTimeout(tcpCloseMillis);
        try {
            int b = in.read();
            if (b >= 0) {
                o.violations.add("bytes after the close frame (first 0x" + Integer.toHexString(b) + ")");
            }
            o.tcpClosed = b < 0 || closedByServerWithin(tcpCloseMillis);
        } catch (SocketTimeoutException e) {
            o.tcpClosed = false;
        } catch (SocketException e) {
            o.tcpClosed = true;
        }
        return o;
    }

    /** Sends one masked frame. */
    public void send(boolean fin, int opcode, byte[] payload) throws IOException {
        out.write(frame(fin, opcode, payload));
        out.flush();
    }

    /** Sends a close frame with a code and reason. */
    public void sendClose(int code, String reason) throws IOException {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        send(true, CLOSE, p);
    }

    /** @return a masked client frame */
    public static byte[] frame(boolean fin, int opcode, byte[] payload) {
        int len = payload.length;
        int hdr = 2 + (len < 126 ? 0 : len < 65536 ? 2 : 8) + 4;
        byte[] f = new byte[hdr + len];
        f[0] = (byte) ((fin ? 0x80 : 0) | (opcode & 0x0f));
        int pos;
        if (len < 126) {
            f[1] = (byte) (0x80 | len);
            pos = 2;
        } else if (len < 65536) {
            f[1] = (byte) (0x80 | 126);
            f[2] = (byte) (len >> 8);
            f[3] = (byte) len;
            pos = 4;
        } else {
            f[1] = (byte) (0x80 | 127);
            long l = len;
            for (int i = 0; i < 8; i++) {
                f[2 + i] = (byte) (l >> (56 - 8 * i));
            }
            pos = 10;
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        System.arraycopy(mask, 0, f, pos, 4);
        pos += 4;
        for (int i = 0; i < len; i++) {
            f[pos + i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        return f;
    }

    /**
     * Reads one server frame.
     *
     * @param timeoutMillis read timeout
     * @return the frame
     */
    public Frame read(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        if ((b1 & 0x80) != 0) {
            throw new IOException("server frame is masked");
        }
        long len = b1 & 0x7f;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        if (len > 64L * 1024 * 1024) {
            throw new IOException("server frame of " + len + " bytes");
        }
        byte[] p = new byte[(int) len];
        in.readFully(p);
        return new Frame((b0 & 0x80) != 0, b0 & 0x0f, p, (b0 >> 4) & 7);
    }

    /**
     * @param timeoutMillis how long to wait
     * @return true when the server closes the TCP connection (EOF or reset) within the time, with no
     *     further byte
     */
    public boolean closedByServerWithin(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    // ---------------------------------------------------------------- sockets the test made itself

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
