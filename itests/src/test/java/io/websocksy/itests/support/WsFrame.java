package io.websocksy.itests.support;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A client frame builder for hostile input: FIN, the three RSV bits, any opcode (0-15), masked or
 * not, a chosen mask key, and an explicit length encoding (7-bit, 16-bit or 64-bit form, or a declared
 * length that differs from the payload actually sent).
 */
public final class WsFrame {
    public static final int CONT = 0;
    public static final int TEXT = 1;
    public static final int BINARY = 2;
    public static final int CLOSE = 8;
    public static final int PING = 9;
    public static final int PONG = 10;

    /** How the payload length is written. */
    public enum Len { AUTO, SHORT7, MEDIUM16, LONG64 }

    private boolean fin = true;
    private int rsv;
    private final int opcode;
    private byte[] payload = new byte[0];
    private boolean masked = true;
    private byte[] maskKey;
    private Len len = Len.AUTO;
    private Long declared;

    private WsFrame(int opcode) {
        this.opcode = opcode;
    }

    public static WsFrame of(int opcode) {
        return new WsFrame(opcode);
    }

    public static WsFrame text(String s) {
        return of(TEXT).payload(s.getBytes(StandardCharsets.UTF_8));
    }

    public static WsFrame binary(byte[] b) {
        return of(BINARY).payload(b);
    }

    /** @return a close frame with a code and a UTF-8 reason */
    public static WsFrame close(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        return of(CLOSE).payload(p);
    }

    public WsFrame fin(boolean f) {
        fin = f;
        return this;
    }

    /** @param bits RSV1 = 4, RSV2 = 2, RSV3 = 1 */
    public WsFrame rsv(int bits) {
        rsv = bits & 7;
        return this;
    }

    public WsFrame payload(byte[] p) {
        payload = p;
        return this;
    }

    public WsFrame unmasked() {
        masked = false;
        return this;
    }

    public WsFrame maskKey(byte[] key) {
        maskKey = key.clone();
        return this;
    }

    /** Forces a length form, e.g. the 16-bit form for a 5-byte payload (non-minimal). */
    public WsFrame lengthForm(Len l) {
        len = l;
        return this;
    }

    /** Declares this length in the header (64-bit form unless forced otherwise) whatever the payload is. */
    public WsFrame declaredLength(long l) {
        declared = l;
        if (len == Len.AUTO) {
            len = Len.LONG64;
        }
        return this;
    }

    /** @return the frame's bytes on the wire */
    public byte[] bytes() {
        long l = declared != null ? declared : payload.length;
        Len form = len;
        if (form == Len.AUTO) {
            form = l < 126 ? Len.SHORT7 : l < 65536 ? Len.MEDIUM16 : Len.LONG64;
        }
        int ext = form == Len.SHORT7 ? 0 : form == Len.MEDIUM16 ? 2 : 8;
        byte[] f = new byte[2 + ext + (masked ? 4 : 0) + payload.length];
        f[0] = (byte) ((fin ? 0x80 : 0) | (rsv << 4) | (opcode & 0x0f));
        int b1 = masked ? 0x80 : 0;
        int pos = 2;
        switch (form) {
            case SHORT7:
                f[1] = (byte) (b1 | (int) (l & 0x7f));
                break;
            case MEDIUM16:
                f[1] = (byte) (b1 | 126);
                f[2] = (byte) (l >> 8);
                f[3] = (byte) l;
                pos = 4;
                break;
            default:
                f[1] = (byte) (b1 | 127);
                for (int i = 0; i < 8; i++) {
                    f[2 + i] = (byte) (l >>> (56 - 8 * i));
                }
                pos = 10;
        }
        byte[] key = maskKey;
        if (masked) {
            if (key == null) {
                key = new byte[4];
                ThreadLocalRandom.current().nextBytes(key);
            }
            System.arraycopy(key, 0, f, pos, 4);
            pos += 4;
        }
        for (int i = 0; i < payload.length; i++) {
            f[pos + i] = masked ? (byte) (payload[i] ^ key[i & 3]) : payload[i];
        }
        return f;
    }

    /** @return the concatenated bytes of several frames */
    public static byte[] concat(WsFrame... frames) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (WsFrame f : frames) {
            byte[] x = f.bytes();
            b.write(x, 0, x.length);
        }
        return b.toByteArray();
    }
}
