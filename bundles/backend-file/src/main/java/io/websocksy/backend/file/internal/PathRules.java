package io.websocksy.backend.file.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * The lexical rules that keep an expanded template inside the base directory. They run before the
 * filesystem is touched; {@link FileRouter} adds the filesystem checks (normalised path under the base,
 * real path under the real base, regular file).
 *
 * <p>Every method returns {@code null} when the input is acceptable, otherwise a short reason for the log.
 */
final class PathRules {
    /** Longest file-name segment in bytes (Linux NAME_MAX). */
    static final int MAX_SEGMENT_BYTES = 255;
    /** Longest expanded relative path in bytes. */
    static final int MAX_PATH_BYTES = 1024;

    private PathRules() {
    }

    /**
     * Checks one substituted value (before {@code /} is replaced by {@code _}).
     *
     * @param value the value taken from the request
     * @return null when it may be substituted, else why not
     */
    static String checkValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                return "NUL byte";
            }
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) {
                return "control character";
            }
            if (c == '\\') {
                return "backslash";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return "unpaired surrogate";
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return "unpaired surrogate";
            }
        }
        if (utf8Length(value) > MAX_SEGMENT_BYTES) {
            return "longer than " + MAX_SEGMENT_BYTES + " bytes";
        }
        return null;
    }

    /**
     * Checks an expanded relative path: no empty, {@code .} or {@code ..} segment, also after Unicode
     * compatibility normalisation (so a fullwidth {@code ．．} or {@code ／} is refused too); no segment over
     * {@value #MAX_SEGMENT_BYTES} bytes; not absolute; the whole within {@value #MAX_PATH_BYTES} bytes.
     *
     * @param relative the expanded template, {@code /}-separated
     * @return null when it is acceptable, else why not
     */
    static String checkRelative(String relative) {
        if (relative.isEmpty()) {
            return "empty path";
        }
        if (relative.charAt(0) == '/') {
            return "absolute path";
        }
        if (utf8Length(relative) > MAX_PATH_BYTES) {
            return "path longer than " + MAX_PATH_BYTES + " bytes";
        }
        for (String segment : relative.split("/", -1)) {
            String why = checkSegment(segment);
            if (why != null) {
                return why;
            }
            String nfkc = Normalizer.normalize(segment, Normalizer.Form.NFKC);
            if (!nfkc.equals(segment)) {
                if (nfkc.indexOf('/') >= 0 || nfkc.indexOf('\\') >= 0) {
                    return "segment '" + segment + "' holds a character that normalises to a path separator";
                }
                String nwhy = checkSegment(nfkc);
                if (nwhy != null) {
                    return nwhy + " after Unicode normalisation";
                }
            }
        }
        return null;
    }

    private static String checkSegment(String segment) {
        if (segment.isEmpty()) {
            return "empty path segment";
        }
        if (segment.equals(".") || segment.equals("..")) {
            return "'" + segment + "' path segment";
        }
        if (utf8Length(segment) > MAX_SEGMENT_BYTES) {
            return "path segment longer than " + MAX_SEGMENT_BYTES + " bytes";
        }
        return null;
    }

    /**
     * The {@code %endpoint%} value: the request path without leading and trailing slashes (as the bridge
     * gives it), with runs of {@code /} collapsed to one and percent-escapes decoded once as UTF-8. A
     * malformed escape or invalid UTF-8 (overlong forms such as {@code %c0%ae} included) gives null.
     *
     * @param endpoint {@link io.websocksy.api.backend.HandshakeRequest#endpoint()}, still percent-encoded
     * @return the decoded endpoint, or null when it cannot be decoded
     */
    static String decodeEndpoint(String endpoint) {
        StringBuilder collapsed = new StringBuilder(endpoint.length());
        for (int i = 0; i < endpoint.length(); i++) {
            char c = endpoint.charAt(i);
            if (c == '/' && (collapsed.length() == 0 || collapsed.charAt(collapsed.length() - 1) == '/')) {
                continue;
            }
            collapsed.append(c);
        }
        while (collapsed.length() > 0 && collapsed.charAt(collapsed.length() - 1) == '/') {
            collapsed.setLength(collapsed.length() - 1);
        }
        String s = collapsed.toString();
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.write(b, 0, b.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
