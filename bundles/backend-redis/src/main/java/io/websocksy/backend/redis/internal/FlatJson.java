package io.websocksy.backend.redis.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A strict parser for the one JSON shape route values use: a single object whose values are strings,
 * numbers, booleans or null (no nesting). Anything else is refused with the offset of the problem.
 */
final class FlatJson {
    private final String s;
    private int i;

    private FlatJson(String s) {
        this.s = s;
    }

    /**
     * @param text the JSON text
     * @return the members; numbers and booleans as their text
     * @throws IllegalArgumentException naming the problem
     */
    static Map<String, String> parse(String text) {
        FlatJson p = new FlatJson(text);
        Map<String, String> out = p.object();
        p.ws();
        if (p.i != text.length()) {
            throw p.bad("text after the object");
        }
        return out;
    }

    private Map<String, String> object() {
        ws();
        expect('{');
        Map<String, String> m = new LinkedHashMap<>();
        ws();
        if (peek() == '}') {
            i++;
            return m;
        }
        while (true) {
            ws();
            String k = string();
            ws();
            expect(':');
            ws();
            String v = value();
            if (m.put(k, v) != null) {
                throw bad("member '" + k + "' twice");
            }
            ws();
            char c = next();
            if (c == '}') {
                return m;
            }
            if (c != ',') {
                throw bad("expected , or }");
            }
        }
    }

    private String value() {
        char c = peek();
        if (c == '"') {
            return string();
        }
        if (c == '{' || c == '[') {
            throw bad("nested objects and arrays are not route values");
        }
        int start = i;
        while (i < s.length() && "{}[],: \t\r\n\"".indexOf(s.charAt(i)) < 0) {
            i++;
        }
        String lit = s.substring(start, i);
        if (lit.equals("null")) {
            return null;
        }
        if (lit.equals("true") || lit.equals("false") || lit.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
            return lit;
        }
        throw bad("not a JSON value");
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                throw bad("control character in a string");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"': b.append('"'); break;
                case '\\': b.append('\\'); break;
                case '/': b.append('/'); break;
                case 'b': b.append('\b'); break;
                case 'f': b.append('\f'); break;
                case 'n': b.append('\n'); break;
                case 'r': b.append('\r'); break;
                case 't': b.append('\t'); break;
                case 'u':
                    if (i + 4 > s.length()) {
                        throw bad("short \\u escape");
                    }
                    try {
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    } catch (NumberFormatException x) {
                        throw bad("bad \\u escape");
                    }
                    i += 4;
                    break;
                default:
                    throw bad("bad escape \\" + e);
            }
        }
    }

    private void ws() {
        while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
    }

    private char peek() {
        if (i >= s.length()) {
            throw bad("unexpected end");
        }
        return s.charAt(i);
    }

    private char next() {
        char c = peek();
        i++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            i--;
            throw bad("expected " + c);
        }
    }

    private IllegalArgumentException bad(String what) {
        return new IllegalArgumentException("not a flat JSON object: " + what + " at offset " + i);
    }
}
