package io.websocksy.backend.file.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.websocksy.api.backend.HandshakeRequest;

/**
 * One file-name template such as {@code %cookie:a%/%endpoint%.txt}, parsed once at configuration time.
 *
 * <p>Syntax: literal text; {@code %endpoint%}; {@code %cookie:NAME%}; {@code %header:NAME%};
 * {@code %query:NAME%}; {@code %%} for a literal {@code %}. Anything else after a {@code %} is a
 * configuration error, as is a template that is empty, absolute, holds a backslash or a control
 * character, or has an empty, {@code .} or {@code ..} segment of its own.
 */
final class Template {
    /** What a part of the template stands for. */
    enum Kind {
        LITERAL, ENDPOINT, COOKIE, HEADER, QUERY
    }

    /**
     * One part of a template: its kind, and the literal text or the cookie/header/query name.
     */
    static final class Part {
        final Kind kind;
        final String text;

        Part(Kind kind, String text) {
            this.kind = kind;
            this.text = text;
        }

        Kind kind() {
            return kind;
        }

        String text() {
            return text;
        }

        String describe() {
            switch (kind) {
                case ENDPOINT:
                    return "%endpoint%";
                case COOKIE:
                    return "%cookie:" + text + "%";
                case HEADER:
                    return "%header:" + text + "%";
                case QUERY:
                    return "%query:" + text + "%";
                default:
                    return text;
            }
        }
    }

    private final String source;
    private final List<Part> parts;

    private Template(String source, List<Part> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
    }

    /**
     * @param source the template as configured (already trimmed)
     * @return the parsed template
     * @throws IllegalArgumentException with the reason, when the template is not acceptable
     */
    static Template parse(String source) {
        if (source.isEmpty()) {
            throw new IllegalArgumentException("empty template");
        }
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("control character at position " + (i + 1));
            }
            if (c == '\\') {
                throw new IllegalArgumentException("backslash at position " + (i + 1) + " (use / to separate directories)");
            }
            if (c != '%') {
                literal.append(c);
                i++;
                continue;
            }
            int end = source.indexOf('%', i + 1);
            if (end < 0) {
                throw new IllegalArgumentException("unterminated variable at position " + (i + 1)
                        + " (write %% for a literal %)");
            }
            String body = source.substring(i + 1, end);
            i = end + 1;
            if (body.isEmpty()) {
                literal.append('%');
                continue;
            }
            Part p = variable(body);
            if (literal.length() > 0) {
                parts.add(new Part(Kind.LITERAL, literal.toString()));
                literal.setLength(0);
            }
            parts.add(p);
        }
        if (literal.length() > 0) {
            parts.add(new Part(Kind.LITERAL, literal.toString()));
        }
        checkStructure(parts);
        return new Template(source, parts);
    }

    private static Part variable(String body) {
        if (body.equals("endpoint")) {
            return new Part(Kind.ENDPOINT, "");
        }
        int colon = body.indexOf(':');
        Kind kind = null;
        if (colon > 0) {
            switch (body.substring(0, colon)) {
                case "cookie":
                    kind = Kind.COOKIE;
                    break;
                case "header":
                    kind = Kind.HEADER;
                    break;
                case "query":
                    kind = Kind.QUERY;
                    break;
                default:
                    break;
            }
        }
        if (kind == null) {
            throw new IllegalArgumentException("unknown variable '%" + body
                    + "%' (expected %endpoint%, %cookie:NAME%, %header:NAME%, %query:NAME% or %% for a literal %)");
        }
        String name = body.substring(colon + 1);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("variable '%" + body + "%' has no name");
        }
        if (kind != Kind.QUERY && !isToken(name)) {
            throw new IllegalArgumentException("variable '%" + body + "%': '" + name
                    + "' is not a valid " + (kind == Kind.COOKIE ? "cookie" : "header") + " name");
        }
        for (int k = 0; k < name.length(); k++) {
            if (Character.isWhitespace(name.charAt(k))) {
                throw new IllegalArgumentException("variable '%" + body + "%': whitespace in the name");
            }
        }
        return new Part(kind, name);
    }

    /** The template's own slashes must separate non-empty segments, none of them a literal {@code .} or {@code ..}. */
    private static void checkStructure(List<Part> parts) {
        StringBuilder shape = new StringBuilder();
        for (Part p : parts) {
            // a variable becomes a non-empty value without '/', stand it in with a neutral character
            shape.append(p.kind == Kind.LITERAL ? p.text : "x");
        }
        String s = shape.toString();
        if (s.startsWith("/")) {
            throw new IllegalArgumentException("must be relative to path (no leading /)");
        }
        if (s.endsWith("/")) {
            throw new IllegalArgumentException("must name a file (no trailing /)");
        }
        for (String seg : s.split("/", -1)) {
            if (seg.isEmpty()) {
                throw new IllegalArgumentException("empty path segment (//)");
            }
            if (seg.equals(".") || seg.equals("..")) {
                throw new IllegalArgumentException("'" + seg + "' path segment");
            }
        }
    }

    /** RFC 9110 token characters (header names; RFC 6265 cookie names are tokens too). */
    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** @return the template as configured */
    String source() {
        return source;
    }

    List<Part> parts() {
        return parts;
    }

    /**
     * Expands the template for one request. Values have {@code /} replaced by {@code _}; a value that is
     * missing or empty skips the template; a value that fails {@link PathRules} (or makes the expanded path
     * fail them) is rejected.
     *
     * @param request the client's handshake
     * @return the outcome
     */
    Expansion expand(HandshakeRequest request) {
        StringBuilder out = new StringBuilder();
        for (Part p : parts) {
            if (p.kind == Kind.LITERAL) {
                out.append(p.text);
                continue;
            }
            Lookup v = lookup(p, request);
            if (v.value == null) {
                return v.rejectedRaw == null ? Expansion.missing(p.describe() + " " + v.why)
                        : Expansion.rejected(p.describe(), v.rejectedRaw, v.why);
            }
            if (v.value.isEmpty()) {
                return Expansion.missing(p.describe() + " is empty");
            }
            String why = PathRules.checkValue(v.value);
            if (why != null) {
                return Expansion.rejected(p.describe(), v.value, why);
            }
            out.append(v.value.replace('/', '_'));
        }
        String relative = out.toString();
        String why = PathRules.checkRelative(relative);
        if (why != null) {
            return Expansion.rejected("expanded path", relative, why);
        }
        return Expansion.ok(relative);
    }

    private static final class Lookup {
        final String value;
        final String rejectedRaw;
        final String why;

        private Lookup(String value, String rejectedRaw, String why) {
            this.value = value;
            this.rejectedRaw = rejectedRaw;
            this.why = why;
        }

        static Lookup of(String v) {
            return new Lookup(v, null, null);
        }

        static Lookup missing(String why) {
            return new Lookup(null, null, why);
        }

        static Lookup rejected(String raw, String why) {
            return new Lookup(null, raw, why);
        }
    }

    private static Lookup lookup(Part p, HandshakeRequest request) {
        switch (p.kind) {
            case ENDPOINT: {
                String raw = request.endpoint();
                String decoded = PathRules.decodeEndpoint(raw == null ? "" : raw);
                if (decoded == null) {
                    return Lookup.rejected(raw, "malformed percent-encoding or invalid UTF-8");
                }
                return Lookup.of(decoded);
            }
            case COOKIE: {
                Optional<String> c = request.cookie(p.text);
                return c.isPresent() ? Lookup.of(c.get()) : Lookup.missing("is not set");
            }
            case HEADER:
                return single(request.headers(p.text), "header sent");
            case QUERY: {
                List<String> values = request.queryParameters().get(p.text);
                return single(values == null ? List.of() : values, "query parameter given");
            }
            default:
                throw new IllegalStateException(p.kind.toString());
        }
    }

    /** A header or query parameter repeated with different values is ambiguous and treated as rejected. */
    private static Lookup single(List<String> values, String what) {
        if (values.isEmpty()) {
            return Lookup.missing("is not set");
        }
        Set<String> distinct = new LinkedHashSet<>(values);
        if (distinct.size() > 1) {
            return Lookup.rejected(String.join(" | ", distinct), what + " " + values.size()
                    + " times with different values (ambiguous)");
        }
        return Lookup.of(values.get(0));
    }

    @Override
    public String toString() {
        return source;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Template && ((Template) o).source.equals(source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source);
    }

    /** The outcome of {@link #expand}: a relative path, a missing variable, or a rejected value. */
    static final class Expansion {
        private final String path;
        private final String missing;
        private final String variable;
        private final String value;
        private final String reason;

        private Expansion(String path, String missing, String variable, String value, String reason) {
            this.path = path;
            this.missing = missing;
            this.variable = variable;
            this.value = value;
            this.reason = reason;
        }

        static Expansion ok(String path) {
            return new Expansion(path, null, null, null, null);
        }

        static Expansion missing(String what) {
            return new Expansion(null, what, null, null, null);
        }

        static Expansion rejected(String variable, String value, String reason) {
            return new Expansion(null, null, variable, value, reason);
        }

        /** @return the expanded relative path, or null when the template is skipped */
        String path() {
            return path;
        }

        /** @return what was missing (debug-level, not an attack), or null */
        String missing() {
            return missing;
        }

        /** @return true when a value was refused by the safety rules (worth a warning) */
        boolean isRejected() {
            return reason != null;
        }

        String variable() {
            return variable;
        }

        String value() {
            return value;
        }

        String reason() {
            return reason;
        }
    }
}
