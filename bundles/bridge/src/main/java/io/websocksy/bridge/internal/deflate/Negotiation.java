package io.websocksy.bridge.internal.deflate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * permessage-deflate negotiation (RFC 7692 section 7) on the client's {@code Sec-WebSocket-Extensions}
 * offers. The first acceptable {@code permessage-deflate} offer wins; an offer with an unknown or
 * duplicated parameter, a value where none is allowed, a missing value, or a window size that is not a
 * decimal 8-15 without leading zeros is declined (never an exception), and so is a header that does
 * not parse as RFC 6455 9.1 extension syntax. Other extensions are ignored.
 * <p>
 * What the answer says is what the bridge does:
 * <ul>
 * <li>{@code server_no_context_takeover} when the client asked for it or the listener has
 * {@code compression-no-context-takeover}: the compressor is reset after every message;</li>
 * <li>{@code client_no_context_takeover} when the client offered it or the listener has
 * {@code compression-no-context-takeover}: the decompressor is reset after every message;</li>
 * <li>{@code server_max_window_bits=N} only when the client offered the parameter (RFC 7692 7.1.2.1),
 * N being the smaller of its value and {@code compression-window-bits}. JDK zlib always allocates a
 * 15-bit window, so a smaller one is kept by the compressor itself: it full-flushes every 2^N input
 * bytes and after every message, so no back reference reaches further than 2^N bytes;</li>
 * <li>{@code client_max_window_bits} is never answered: the decompressor has a 15-bit window and
 * inflates whatever window the client uses.</li>
 * </ul>
 */
public final class Negotiation {
    public static final String NAME = "permessage-deflate";

    private Negotiation() {
    }

    /** What was agreed for one connection. */
    public static final class Agreed {
        public final DeflateConfig config;
        public final boolean serverNoContextTakeover;
        public final boolean clientNoContextTakeover;
        /** The window the compressor keeps to, 8-15. */
        public final int serverWindowBits;
        /** Whether the answer carries server_max_window_bits. */
        final boolean answerServerWindow;

        Agreed(DeflateConfig config, boolean serverNoContext, boolean clientNoContext, int serverWindowBits,
                boolean answerServerWindow) {
            this.config = config;
            this.serverNoContextTakeover = serverNoContext;
            this.clientNoContextTakeover = clientNoContext;
            this.serverWindowBits = serverWindowBits;
            this.answerServerWindow = answerServerWindow;
        }

        /** @return the {@code Sec-WebSocket-Extensions} value of the 101 */
        public String header() {
            StringBuilder sb = new StringBuilder(NAME);
            if (serverNoContextTakeover) {
                sb.append("; server_no_context_takeover");
            }
            if (clientNoContextTakeover) {
                sb.append("; client_no_context_takeover");
            }
            if (answerServerWindow) {
                sb.append("; server_max_window_bits=").append(serverWindowBits);
            }
            return sb.toString();
        }

        @Override
        public String toString() {
            return header();
        }
    }

    /** The outcome: what was agreed, or null and why nothing was. */
    public static final class Result {
        /** null when the extension is not used on this connection */
        public final Agreed agreed;
        /** Why the offers were declined (for a debug line); null when agreed or nothing was offered. */
        public final String declined;

        Result(Agreed agreed, String declined) {
            this.agreed = agreed;
            this.declined = declined;
        }
    }

    /**
     * @param headerValues every {@code Sec-WebSocket-Extensions} value of the request, in order
     * @param config the listener's options
     * @return the agreement, or why there is none
     */
    public static Result negotiate(List<String> headerValues, DeflateConfig config) {
        if (!config.enabled || headerValues.isEmpty()) {
            return new Result(null, null);
        }
        List<Offer> offers;
        try {
            offers = parse(String.join(",", headerValues));
        } catch (IllegalArgumentException e) {
            return new Result(null, "Sec-WebSocket-Extensions does not parse: " + e.getMessage());
        }
        StringBuilder why = new StringBuilder();
        for (Offer o : offers) {
            if (!o.name.equals(NAME)) {
                continue;
            }
            String bad = check(o);
            if (bad == null) {
                return new Result(accept(o, config), null);
            }
            if (why.length() > 0) {
                why.append("; ");
            }
            why.append(bad);
        }
        return new Result(null, why.length() == 0 ? null : NAME + " offer declined: " + why);
    }

    /** One extension of the offer list: its name and parameters (null value = none given). */
    static final class Offer {
        final String name;
        final List<String[]> params = new ArrayList<>();

        Offer(String name) {
            this.name = name;
        }
    }

    private static final String[] KNOWN = {"server_no_context_takeover", "client_no_context_takeover",
        "server_max_window_bits", "client_max_window_bits"};

    /** @return null when the offer is acceptable, else why not */
    private static String check(Offer o) {
        Map<String, String> seen = new LinkedHashMap<>();
        for (String[] p : o.params) {
            String name = p[0];
            String value = p[1];
            boolean known = false;
            for (String k : KNOWN) {
                known |= k.equals(name);
            }
            if (!known) {
                return "unknown parameter " + name;
            }
            if (seen.containsKey(name)) {
                return "duplicated parameter " + name;
            }
            seen.put(name, value);
            switch (name) {
                case "server_no_context_takeover":
                case "client_no_context_takeover":
                    if (value != null) {
                        return name + " takes no value (got " + value + ")";
                    }
                    break;
                case "server_max_window_bits":
                    if (value == null) {
                        return "server_max_window_bits needs a value";
                    }
                    if (windowBits(value) < 0) {
                        return "server_max_window_bits=" + value + " is not 8-15";
                    }
                    break;
                default: // client_max_window_bits: value optional
                    if (value != null && windowBits(value) < 0) {
                        return "client_max_window_bits=" + value + " is not 8-15";
                    }
                    break;
            }
        }
        return null;
    }

    /** @return 8-15, or -1 for anything else (RFC 7692: a decimal integer without leading zeros) */
    static int windowBits(String v) {
        if (v.length() == 1 && (v.charAt(0) == '8' || v.charAt(0) == '9')) {
            return v.charAt(0) - '0';
        }
        if (v.length() == 2 && v.charAt(0) == '1' && v.charAt(1) >= '0' && v.charAt(1) <= '5') {
            return 10 + v.charAt(1) - '0';
        }
        return -1;
    }

    private static Agreed accept(Offer o, DeflateConfig c) {
        boolean serverNoContext = c.noContextTakeover;
        boolean clientNoContext = c.noContextTakeover;
        int bits = c.windowBits;
        boolean answerWindow = false;
        for (String[] p : o.params) {
            switch (p[0]) {
                case "server_no_context_takeover":
                    serverNoContext = true;
                    break;
                case "client_no_context_takeover":
                    clientNoContext = true;
                    break;
                case "server_max_window_bits":
                    bits = Math.min(bits, windowBits(p[1]));
                    answerWindow = true;
                    break;
                default:
                    break;
            }
        }
        return new Agreed(c, serverNoContext, clientNoContext, bits, answerWindow);
    }

    /**
     * Parses an extension list (RFC 6455 9.1): {@code name *( ";" param [ "=" (token | quoted-string) ] )},
     * comma-separated. Names and parameter names are compared case-insensitively (lower-cased here).
     */
    static List<Offer> parse(String s) {
        List<Offer> out = new ArrayList<>();
        int[] pos = {0};
        int n = s.length();
        while (true) {
            skipWs(s, pos);
            if (pos[0] >= n) {
                break;
            }
            if (s.charAt(pos[0]) == ',') { // empty list element (allowed by the # rule)
                pos[0]++;
                continue;
            }
            Offer o = new Offer(token(s, pos, "extension name"));
            skipWs(s, pos);
            while (pos[0] < n && s.charAt(pos[0]) == ';') {
                pos[0]++;
                skipWs(s, pos);
                String name = token(s, pos, "parameter name");
                skipWs(s, pos);
                String value = null;
                if (pos[0] < n && s.charAt(pos[0]) == '=') {
                    pos[0]++;
                    skipWs(s, pos);
                    value = pos[0] < n && s.charAt(pos[0]) == '"' ? quoted(s, pos) : token(s, pos, "parameter value");
                    skipWs(s, pos);
                }
                o.params.add(new String[] {name, value});
            }
            out.add(o);
            if (pos[0] < n) {
                if (s.charAt(pos[0]) != ',') {
                    throw new IllegalArgumentException("unexpected '" + s.charAt(pos[0]) + "' at " + pos[0]);
                }
                pos[0]++;
            }
        }
        return out;
    }

    private static void skipWs(String s, int[] pos) {
        while (pos[0] < s.length() && (s.charAt(pos[0]) == ' ' || s.charAt(pos[0]) == '\t')) {
            pos[0]++;
        }
    }

    private static boolean tchar(char c) {
        return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }

    private static String token(String s, int[] pos, String what) {
        int start = pos[0];
        while (pos[0] < s.length() && tchar(s.charAt(pos[0]))) {
            pos[0]++;
        }
        if (pos[0] == start) {
            throw new IllegalArgumentException("missing " + what + " at " + start);
        }
        return s.substring(start, pos[0]).toLowerCase(Locale.ROOT);
    }

    /** A quoted-string value; RFC 6455 9.1: after unescaping it must be a token. */
    private static String quoted(String s, int[] pos) {
        StringBuilder sb = new StringBuilder();
        int i = pos[0] + 1;
        while (true) {
            if (i >= s.length()) {
                throw new IllegalArgumentException("unterminated quoted string");
            }
            char c = s.charAt(i++);
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                if (i >= s.length()) {
                    throw new IllegalArgumentException("unterminated quoted string");
                }
                c = s.charAt(i++);
            }
            sb.append(c);
        }
        pos[0] = i;
        String v = sb.toString();
        for (int k = 0; k < v.length(); k++) {
            if (!tchar(v.charAt(k))) {
                throw new IllegalArgumentException("quoted value \"" + v + "\" is not a token");
            }
        }
        if (v.isEmpty()) {
            throw new IllegalArgumentException("empty quoted value");
        }
        return v;
    }
}
