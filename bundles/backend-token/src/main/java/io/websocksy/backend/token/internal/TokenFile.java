package io.websocksy.backend.token.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.websocksy.api.peer.PeerAddress;
import io.websocksy.api.token.TokenRoutes;
import io.websocksy.api.token.TokenSource;

/**
 * websockify's {@code TokenFile} format: lines {@code token: target}, split at the first colon that is
 * followed by white space; {@code #} comments and blank lines are ignored. The target is
 * {@code host:port} (websockify's form, a TCP peer) or, as an extension, a full peer address
 * ({@code tcp://}, {@code udp://}, {@code unix://}, {@code unix-dgram://}). A bad line is reported
 * (file and line number, never the token itself) and skipped; every other line is still served.
 */
final class TokenFile {
    private TokenFile() {
    }

    /** One usable line. */
    static final class Entry {
        final PeerAddress peer;
        final String where;

        Entry(PeerAddress peer, String where) {
            this.peer = peer;
            this.where = where;
        }
    }

    /**
     * @param name the file's name for warnings
     * @param lines its lines
     * @param into token to entry; a token already there is replaced, as websockify does, with a warning
     * @param warn receives one message per bad line
     */
    static void parse(String name, List<String> lines, Map<String, Entry> into, Consumer<String> warn) {
        int n = 0;
        for (String raw : lines) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = name + ":" + n;
            int sep = separator(line);
            if (sep < 0) {
                warn.accept(where + ": no 'token: target' (a colon and a space after the token); line skipped");
                continue;
            }
            String token = line.substring(0, sep).strip();
            String target = line.substring(sep + 1).strip();
            if (token.isEmpty()) {
                warn.accept(where + ": empty token; line skipped");
                continue;
            }
            PeerAddress peer;
            try {
                peer = TokenRoutes.target(target);
            } catch (IllegalArgumentException e) {
                warn.accept(where + ": bad target (" + e.getMessage() + "); line skipped");
                continue;
            }
            Entry old = into.put(token, new Entry(peer, where));
            if (old != null) {
                warn.accept(where + ": token " + TokenSource.hash(token) + " also at " + old.where + "; this line wins");
            }
        }
    }

    /** @return the index of the first ':' followed by white space, or -1 */
    static int separator(String line) {
        for (int i = 0; i + 1 < line.length(); i++) {
            if (line.charAt(i) == ':' && Character.isWhitespace(line.charAt(i + 1))) {
                return i;
            }
        }
        return -1;
    }

    /** A fresh map for {@link #parse}. */
    static Map<String, Entry> table() {
        return new LinkedHashMap<>();
    }
}
