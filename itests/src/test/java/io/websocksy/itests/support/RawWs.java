package io.websocksy.itests.support;

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

/** A raw WebSocket client over {@link Socket}: handshake, masked client frames, unmasked server frames. */
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

        Frame(boolean fin, int opcode, byte[] payload) {
            this.fin = fin;
            this.opcode = opcode;
            this.payload = payload;
        }

        /** @return the close code of a close frame, or -1 when its payload is empty */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
        }

        @Override
        public String toString() {
            return "Frame[op=" + opcode + ", fin=" + fin + ", len=" + payload.length
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
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(Ports.LOOPBACK, port), 2000);
            s.setSoTimeout(10_000);
            s.setTcpNoDelay(true);
            s.getOutputStream().write(request.bytes());
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
        return new Frame((b0 & 0x80) != 0, b0 & 0x0f, p);
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
}
