package io.websocksy.bridge.internal.handshake;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.websocksy.bridge.internal.config.ListenerSettings;
import io.websocksy.bridge.internal.http.HttpError;
import io.websocksy.bridge.internal.http.HttpHead;
import io.websocksy.bridge.internal.http.HttpHeadDecoder;







/** RFC 6455 4.2.1 checks of an upgrade request; the first failure becomes the HTTP answer. */
public final class HandshakeValidator {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    /** Longest accepted subprotocol token (docs/conformance.md H21: per-length cap; registered names are short). */
    static final int MAX_SUBPROTOCOL_LENGTH = 255;

    private HandshakeValidator() {
    }

    /** The accepted parts of a valid request. */
    public static final class Valid {
        public final String key;
        public final List<String> subprotocols;

        Valid(String key, List<String> subprotocols) {
            this.key = key;
            this.subprotocols = subprotocols;
        }
    }

    /** {@link #validate(HttpHead, int)}, then the listener's {@code allowed-origins} (403). */
    public static Valid validate(HttpHead h, ListenerSettings s) throws HttpError {
        Valid v = validate(h, s.maxSubprotocols);
        String refused = s.origins.check(h.all("origin"), h.first("host"));
        if (refused != null) {
            throw new HttpError(403, refused);
        }
        return v;
    }

    public static Valid validate(HttpHead h, int maxSubprotocols) throws HttpError {
        if (!h.version.equals("HTTP/1.1")) {
            throw new HttpError(400, "unsupported HTTP version " + h.version + " (WebSocket needs HTTP/1.1)");
        }
        if (!h.method.equals("GET")) {
            throw new HttpError(405, "method " + h.method + " not allowed");
        }
        if (!h.target.startsWith("/")) {
            throw new HttpError(400, "request target is not an absolute path");
        }
        if (h.target.indexOf('#') >= 0) {
            throw new HttpError(400, "fragment in request target");
        }
        if (h.all("host").size() != 1 || h.first("host").isEmpty()) {
            throw new HttpError(400, h.all("host").isEmpty() ? "missing Host" : "Host must be given exactly once");
        }
        List<String> lengths = h.all("content-length");
        boolean emptyBody = lengths.isEmpty() || (lengths.size() == 1 && lengths.get(0).equals("0"));
        if (!emptyBody || !h.all("transfer-encoding").isEmpty()) {
            throw new HttpError(400, "upgrade request with a body (Content-Length / Transfer-Encoding)");
        }
        if (!h.hasToken("upgrade", "websocket")) {
            throw new HttpError(400, "missing Upgrade: websocket");
        }
        if (!h.hasToken("connection", "upgrade")) {
            throw new HttpError(400, "missing Connection: upgrade");
        }
        List<String> versions = h.all("sec-websocket-version");
        if (versions.isEmpty()) {
            throw new HttpError(400, "missing Sec-WebSocket-Version");
        }
        if (versions.size() != 1 || !versions.get(0).equals("13")) {
            throw new HttpError(426, "unsupported Sec-WebSocket-Version " + String.join(", ", versions));
        }
        List<String> keys = h.all("sec-websocket-key");
        if (keys.size() != 1) {
            throw new HttpError(400, keys.isEmpty() ? "missing Sec-WebSocket-Key" : "Sec-WebSocket-Key given twice");
        }
        String key = keys.get(0);
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "Sec-WebSocket-Key is not base64");
        }
        if (decoded.length != 16) {
            throw new HttpError(400, "Sec-WebSocket-Key does not decode to 16 bytes");
        }
        Set<String> offers = new LinkedHashSet<>();
        for (String v : h.all("sec-websocket-protocol")) {
            for (String t : v.split(",")) {
                String p = t.trim();
                if (p.isEmpty()) {
                    continue;
                }
                if (!HttpHeadDecoder.isToken(p)) {
                    throw new HttpError(400, "invalid subprotocol token");
                }
                if (p.length() > MAX_SUBPROTOCOL_LENGTH) {
                    throw new HttpError(400, "subprotocol token longer than " + MAX_SUBPROTOCOL_LENGTH + " bytes");
                }
                offers.add(p);
                if (offers.size() > maxSubprotocols) {
                    throw new HttpError(400, "more than " + maxSubprotocols + " subprotocols offered");
                }
            }
        }
        return new Valid(key, new ArrayList<>(offers));
    }

    public static String accept(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] d = sha1.digest((key + GUID).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
