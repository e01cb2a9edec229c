package io.websocksy.bridge.internal.security;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.NetUtil;

/**
 * The PROXY protocol (HAProxy, versions 1 and 2) at the very start of a client connection, before TLS
 * and HTTP (docs/behaviour.md#security, {@code proxy-protocol}). A strict decoder:
 * <ul>
 * <li>From a TCP peer in {@code trusted-proxies} the header is <b>required</b>, in an accepted version;
 * its source address becomes the client's real address ({@link ClientAddress#REAL}). A v2 {@code LOCAL}
 * command, a v1 {@code UNKNOWN} and a v2 {@code UNSPEC}/unix family keep the TCP peer's address (health
 * checks of the proxy itself).</li>
 * <li>From any other peer a PROXY header is refused (the connection is closed: nobody may claim an
 * address it was not given); a connection without one is an ordinary direct client.</li>
 * <li>Malformed headers (bad signature, version, command, family, address, port, over-long line, v1
 * without CRLF within 107 bytes, v2 longer than {@value #MAX_V2_LENGTH} bytes) close the connection.</li>
 * </ul>
 * Each refusal is reported once through the {@link Rejection} callback, which logs it. The decoder
 * removes itself once done; bytes behind the header go on to the next handler.
 */
public final class ProxyProtocolDecoder extends ByteToMessageDecoder {
    /** Which header versions a listener accepts. */
    public enum Mode {
        OFF, V1, V2, ANY;

        public static Mode parse(String s) {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "off": case "": case "false": return OFF;
                case "v1": return V1;
                case "v2": return V2;
                case "any": case "on": case "true": return ANY;
                default: throw new IllegalArgumentException("expected off, v1, v2 or any");
            }
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Reports a refused connection (the decoder closes it). */
    public interface Rejection {
        void rejected(ChannelHandlerContext ctx, String cause);
    }

    static final byte[] V1_SIGNATURE = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    /** v1: the longest line the specification allows, CRLF included. */
    static final int V1_MAX_LINE = 107;
    /** v2: the most address and TLV bytes accepted after the 16-byte fixed part. */
    static final int MAX_V2_LENGTH = 4096;

    private final Mode mode;
    private final boolean trusted;
    private final Rejection rejection;
    private boolean done;

    /**
     * @param mode accepted versions, not {@link Mode#OFF}
     * @param trusted whether the TCP peer is in {@code trusted-proxies}
     * @param rejection called once when the connection is refused
     */
    public ProxyProtocolDecoder(Mode mode, boolean trusted, Rejection rejection) {
        this.mode = mode;
        this.trusted = trusted;
        this.rejection = rejection;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (done) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int sig = signature(in);
        if (sig == 0) {
            return; // still a prefix of a signature: wait
        }
        if (!trusted) {
            if (sig > 0) {
                fail(ctx, in, "PROXY v" + sig + " header from " + peer(ctx) + ", which is not in trusted-proxies");
            } else {
                finish(ctx, null); // a direct client
            }
            return;
        }
        if (sig < 0) {
            fail(ctx, in, "no PROXY header from trusted proxy " + peer(ctx) + " (proxy-protocol = " + mode + ")");
            return;
        }
        if (sig == 1 && mode == Mode.V2 || sig == 2 && mode == Mode.V1) {
            fail(ctx, in, "PROXY v" + sig + " header but proxy-protocol = " + mode);
            return;
        }
        try {
            InetSocketAddress real = sig == 1 ? decodeV1(in) : decodeV2(in);
            if (real == NEED_MORE) {
                return;
            }
            finish(ctx, real);
        } catch (IllegalArgumentException e) {
            fail(ctx, in, "malformed PROXY v" + sig + " header from " + peer(ctx) + ": " + e.getMessage());
        }
    }

    /** Marker: the header is not complete yet. */
    private static final InetSocketAddress NEED_MORE = InetSocketAddress.createUnresolved("need-more", 0);

    /** @return 1 or 2 for a v1/v2 signature, -1 when none can follow, 0 when more bytes are needed */
    static int signature(ByteBuf in) {
        int n = in.readableBytes();
        int r = in.readerIndex();
        if (n == 0) {
            return 0;
        }
        if (prefixMatches(in, r, n, V1_SIGNATURE)) {
            return n >= V1_SIGNATURE.length ? 1 : 0;
        }
        if (prefixMatches(in, r, n, V2_SIGNATURE)) {
            return n >= V2_SIGNATURE.length ? 2 : 0;
        }
        return -1;
    }

    private static boolean prefixMatches(ByteBuf in, int r, int n, byte[] sig) {
        int m = Math.min(n, sig.length);
        for (int i = 0; i < m; i++) {
            if (in.getByte(r + i) != sig[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code PROXY TCP4|TCP6 src dst sport dport\r\n} or {@code PROXY UNKNOWN ...\r\n}.
     *
     * @return the source address, null for UNKNOWN, {@link #NEED_MORE} when the line is incomplete
     */
    static InetSocketAddress decodeV1(ByteBuf in) {
        int r = in.readerIndex();
        int n = Math.min(in.readableBytes(), V1_MAX_LINE);
        int eol = -1;
        for (int i = 0; i < n; i++) {
            byte b = in.getByte(r + i);
            if (b == '\n') {
                if (i == 0 || in.getByte(r + i - 1) != '\r') {
                    throw new IllegalArgumentException("line ends with LF without CR");
                }
                eol = i - 1;
                break;
            }
            if (b != '\r' && (b < 0x20 || b > 0x7e)) {
                throw new IllegalArgumentException("byte 0x" + Integer.toHexString(b & 0xff) + " in the v1 line");
            }
        }
        if (eol < 0) {
            if (in.readableBytes() >= V1_MAX_LINE) {
                throw new IllegalArgumentException("no CRLF within " + V1_MAX_LINE + " bytes");
            }
            return NEED_MORE;
        }
        String line = in.toString(r, eol, StandardCharsets.US_ASCII);
        in.skipBytes(eol + 2);
        String[] f = line.split(" ", -1);
        if (f.length >= 2 && f[1].equals("UNKNOWN")) {
            return null;
        }
        if (f.length != 6) {
            throw new IllegalArgumentException("expected 'PROXY TCP4|TCP6 src dst sport dport', got '" + line + "'");
        }
        boolean v6;
        if (f[1].equals("TCP4")) {
            v6 = false;
        } else if (f[1].equals("TCP6")) {
            v6 = true;
        } else {
            throw new IllegalArgumentException("unknown protocol '" + f[1] + "'");
        }
        InetAddress src = v1Address(f[2], v6);
        v1Address(f[3], v6);
        int sport = v1Port(f[4]);
        v1Port(f[5]);
        return new InetSocketAddress(src, sport);
    }

    private static InetAddress v1Address(String s, boolean v6) {
        boolean ok = v6 ? NetUtil.isValidIpV6Address(s) && s.indexOf('%') < 0 && s.indexOf('[') < 0
                : NetUtil.isValidIpV4Address(s);
        if (!ok) {
            throw new IllegalArgumentException("'" + s + "' is not an " + (v6 ? "IPv6" : "IPv4") + " address");
        }
        try {
            return InetAddress.getByAddress(NetUtil.createByteArrayFromIpAddressString(s));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + s + "': " + e.getMessage());
        }
    }

    private static int v1Port(String s) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')
                || s.length() > 1 && s.charAt(0) == '0') {
            throw new IllegalArgumentException("bad port '" + s + "'");
        }
        int p = Integer.parseInt(s);
        if (p > 65535) {
            throw new IllegalArgumentException("port " + p + " out of range");
        }
        return p;
    }

    /**
     * The binary header: 12-byte signature, version/command, family/protocol, 2-byte length, addresses
     * and TLVs (skipped).
     *
     * @return the source address, null for LOCAL/UNSPEC/unix, {@link #NEED_MORE} when incomplete
     */
    static InetSocketAddress decodeV2(ByteBuf in) {
        if (in.readableBytes() < 16) {
            return NEED_MORE;
        }
        int r = in.readerIndex();
        int verCmd = in.getUnsignedByte(r + 12);
        int famProto = in.getUnsignedByte(r + 13);
        int len = in.getUnsignedShort(r + 14);
        if (verCmd >> 4 != 2) {
            throw new IllegalArgumentException("version " + (verCmd >> 4) + ", expected 2");
        }
        int cmd = verCmd & 0x0f;
        if (cmd > 1) {
            throw new IllegalArgumentException("unknown command " + cmd);
        }
        if (len > MAX_V2_LENGTH) {
            throw new IllegalArgumentException("length " + len + " is more than " + MAX_V2_LENGTH);
        }
        int family = famProto >> 4;
        int proto = famProto & 0x0f;
        if (family > 3 || proto > 2) {
            throw new IllegalArgumentException("unknown address family/protocol 0x" + Integer.toHexString(famProto));
        }
        int need = family == 1 ? 12 : family == 2 ? 36 : family == 3 ? 216 : 0;
        if (cmd == 1 && len < need) {
            throw new IllegalArgumentException("address block of " + len + " bytes, family needs " + need);
        }
        if (in.readableBytes() < 16 + len) {
            return NEED_MORE;
        }
        InetSocketAddress src = null;
        if (cmd == 1 && (family == 1 || family == 2)) {
            if (proto != 1) {
                throw new IllegalArgumentException("protocol " + (proto == 2 ? "DGRAM" : "UNSPEC")
                        + " on a stream listener");
            }
            int alen = family == 1 ? 4 : 16;
            byte[] a = new byte[alen];
            in.getBytes(r + 16, a);
            int port = in.getUnsignedShort(r + 16 + 2 * alen);
            try {
                src = new InetSocketAddress(InetAddress.getByAddress(a), port);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        }
        in.skipBytes(16 + len);
        return src;
    }

    private void finish(ChannelHandlerContext ctx, InetSocketAddress real) {
        done = true;
        if (real != null) {
            ctx.channel().attr(ClientAddress.REAL).set(real);
        }
        ctx.pipeline().remove(this);
    }

    private void fail(ChannelHandlerContext ctx, ByteBuf in, String cause) {
        done = true;
        in.skipBytes(in.readableBytes());
        rejection.rejected(ctx, cause);
        ctx.close();
    }

    private static String peer(ChannelHandlerContext ctx) {
        SocketAddress a = ctx.channel().remoteAddress();
        return a instanceof InetSocketAddress ? ClientAddress.format((InetSocketAddress) a) : String.valueOf(a);
    }
}
