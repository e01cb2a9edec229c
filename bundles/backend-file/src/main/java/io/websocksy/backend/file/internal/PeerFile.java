package io.websocksy.backend.file.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import io.websocksy.api.backend.Route;
import io.websocksy.api.peer.InvalidPeerAddressException;
import io.websocksy.api.peer.PeerAddress;

/**
 * The parsed content of one route file: lines {@code <peer> <subprotocol> [<framing>] [<framing-config>]}.
 *
 * <p>Fields are separated by runs of spaces or tabs; the framing-config is the rest of the line (inner
 * spaces kept, trailing blanks dropped). Blank lines and lines whose first non-blank character is
 * {@code #} are ignored. A line that cannot be used (no subprotocol column, bad peer address, bad
 * subprotocol or framer name, not UTF-8, over {@value #MAX_LINE_BYTES} bytes) is skipped with one warning
 * naming the file and line number. A UTF-8 byte-order mark and CRLF line ends are accepted.
 */
final class PeerFile {
    /** Longest accepted line, in bytes, without its line end. */
    static final int MAX_LINE_BYTES = 4096;
    /** Subprotocol column: the first subprotocol the client offered. */
    static final String ANY = "*";
    /** Subprotocol column: choose no subprotocol; only matches a client that offered none. */
    static final String NONE = "-";

    /**
     * One usable line: its number in the file (from 1), the peer address, the subprotocol column (a token,
     * {@value #ANY} or {@value #NONE}), the framer name ({@link Route#DEFAULT_FRAMER} when the column is
     * absent) and the framer config (empty when absent).
     */
    static final class Line {
        final int number;
        final PeerAddress peer;
        final String protocol;
        final String framing;
        final String framingConfig;

        Line(int number, PeerAddress peer, String protocol, String framing, String framingConfig) {
            this.number = number;
            this.peer = peer;
            this.protocol = protocol;
            this.framing = framing;
            this.framingConfig = framingConfig;
        }

        int number() {
            return number;
        }

        PeerAddress peer() {
            return peer;
        }

        String protocol() {
            return protocol;
        }

        String framing() {
            return framing;
        }

        String framingConfig() {
            return framingConfig;
        }
    }

    private final List<Line> lines;

    private PeerFile(List<Line> lines) {
        this.lines = List.copyOf(lines);
    }

    /** @return the usable lines, in file order */
    List<Line> lines() {
        return lines;
    }

    /**
     * Parses a route file.
     *
     * @param content the file's bytes
     * @param file the name to use in warnings
     * @param warn receives one message per skipped line or doubtful value
     * @return the usable lines
     */
    static PeerFile parse(byte[] content, String file, Consumer<String> warn) {
        List<Line> out = new ArrayList<>();
        int start = 0;
        if (content.length >= 3 && (content[0] & 0xff) == 0xef && (content[1] & 0xff) == 0xbb
                && (content[2] & 0xff) == 0xbf) {
            start = 3;
        }
        int number = 0;
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        while (start < content.length) {
            number++;
            int nl = start;
            while (nl < content.length && content[nl] != '\n') {
                nl++;
            }
            int end = nl;
            if (end > start && content[end - 1] == '\r') {
                end--;
            }
            int len = end - start;
            int lineStart = start;
            start = nl + 1;
            if (len > MAX_LINE_BYTES) {
                warn.accept(file + ":" + number + ": line longer than " + MAX_LINE_BYTES + " bytes; skipped");
                continue;
            }
            String text;
            try {
                text = utf8.reset().decode(ByteBuffer.wrap(content, lineStart, len)).toString();
            } catch (CharacterCodingException e) {
                warn.accept(file + ":" + number + ": not valid UTF-8; skipped");
                continue;
            }
            Line l = parseLine(text, file, number, warn);
            if (l != null) {
                out.add(l);
            }
        }
        return new PeerFile(out);
    }

    private static boolean blank(char c) {
        return c == ' ' || c == '\t';
    }

    private static Line parseLine(String raw, String file, int number, Consumer<String> warn) {
        String where = file + ":" + number + ": ";
        int a = 0;
        int b = raw.length();
        while (a < b && blank(raw.charAt(a))) {
            a++;
        }
        while (b > a && blank(raw.charAt(b - 1))) {
            b--;
        }
        String line = raw.substring(a, b);
        if (line.isEmpty() || line.charAt(0) == '#') {
            return null;
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                warn.accept(where + "control character in line; skipped");
                return null;
            }
        }
        List<String> fields = new ArrayList<>(3);
        int i = 0;
        String rest = "";
        while (i < line.length() && fields.size() < 3) {
            int j = i;
            while (j < line.length() && !blank(line.charAt(j))) {
                j++;
            }
            fields.add(line.substring(i, j));
            while (j < line.length() && blank(line.charAt(j))) {
                j++;
            }
            i = j;
        }
        if (i < line.length()) {
            rest = line.substring(i);
        }
        PeerAddress peer;
        try {
            peer = PeerAddress.parse(fields.get(0));
        } catch (InvalidPeerAddressException e) {
            warn.accept(where + e.getMessage() + "; line skipped");
            return null;
        }
        if (fields.size() < 2) {
            warn.accept(where + "no subprotocol column after the peer (write '*' for the client's first offer "
                    + "or '-' for none); line skipped");
            return null;
        }
        String protocol = fields.get(1);
        if (!protocol.equals(ANY) && !protocol.equals(NONE) && !Template.isToken(protocol)) {
            warn.accept(where + "subprotocol '" + protocol + "' is not a valid token; line skipped");
            return null;
        }
        String framing = Route.DEFAULT_FRAMER;
        if (fields.size() >= 3) {
            framing = fields.get(2);
            if (!isFramerName(framing)) {
                warn.accept(where + "framer name '" + framing + "' is not valid (letters, digits, '.', '_', '-'); "
                        + "line skipped");
                return null;
            }
        }
        if (peer.schemeDefaulted()) {
            warn.accept(where + "peer '" + fields.get(0) + "' has no scheme; using " + peer.transport().scheme() + "://");
        }
        if (!peer.isComplete()) {
            warn.accept(where + "peer " + peer + " has no port; connections routed by this line will fail (502)");
        }
        return new Line(number, peer, protocol, framing, rest);
    }

    static boolean isFramerName(String s) {
        if (s.isEmpty() || s.length() > 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * Picks the line for a client (docs/behaviour.md#backends, #relay). With no offers the first line wins and no subprotocol is
     * chosen. With offers, the first line whose subprotocol equals one of them (ignoring case, as the
     * default backend and the bridge do; the client's spelling is echoed) or is {@value #ANY} (the first
     * offer) wins; {@value #NONE} lines never match a client that offered subprotocols.
     *
     * @param offered the client's subprotocols, in order
     * @return the matching line's route, or empty when no line matches
     */
    Optional<Selected> select(List<String> offered) {
        for (Line l : lines) {
            String chosen;
            if (offered.isEmpty()) {
                chosen = null;
            } else if (l.protocol.equals(ANY)) {
                chosen = offered.get(0);
            } else if (l.protocol.equals(NONE)) {
                continue;
            } else {
                chosen = null;
                for (String o : offered) {
                    if (o.equalsIgnoreCase(l.protocol)) {
                        chosen = o;
                        break;
                    }
                }
                if (chosen == null) {
                    continue;
                }
            }
            Route r = Route.to(l.peer).framer(l.framing).framerConfig(l.framingConfig).subprotocol(chosen).build();
            return Optional.of(new Selected(l, r));
        }
        return Optional.empty();
    }

    /** A selected line with the route it yields. */
    static final class Selected {
        private final Line line;
        private final Route route;

        Selected(Line line, Route route) {
            this.line = line;
            this.route = route;
        }

        Line line() {
            return line;
        }

        Route route() {
            return route;
        }
    }
}
