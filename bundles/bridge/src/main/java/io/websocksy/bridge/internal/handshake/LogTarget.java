package io.websocksy.bridge.internal.handshake;

/**
 * The request target as the handshake log line shows it: the path (cut to 200 characters) and the query's
 * parameter names without their values ({@code /vnc?token=…}), because query values carry secrets such as
 * the tokens of the token backends, and a log line must never show one.
 */
public final class LogTarget {
    public static final int MAX_PATH = 200;

    private LogTarget() {
    }

    public static String of(String target) {
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        StringBuilder b = new StringBuilder(path.length() > MAX_PATH ? path.substring(0, MAX_PATH) + "..." : path);
        if (q < 0) {
            return b.toString();
        }
        b.append('?');
        String query = target.substring(q + 1);
        int shown = 0;
        for (String part : query.split("&", -1)) {
            if (shown > 0) {
                b.append('&');
            }
            if (shown++ == 16) {
                b.append("...");
                break;
            }
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            b.append(name.length() > 40 ? name.substring(0, 40) + "..." : name);
            if (eq >= 0) {
                b.append("=\u2026");
            }
        }
        return b.toString();
    }
}
