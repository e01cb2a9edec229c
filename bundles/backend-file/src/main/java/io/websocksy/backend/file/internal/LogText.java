package io.websocksy.backend.file.internal;

/** Makes client-supplied text safe for a log line: escaped, quoted by the caller, and bounded. */
final class LogText {
    /** Longest piece of client text put in a log line. */
    static final int MAX = 160;

    private LogText() {
    }

    /**
     * @param s any text, possibly null
     * @return the text with backslashes, quotes, control and non-ASCII characters escaped ({@code \xHH},
     *     {@code \\uHHHH}), cut at {@value #MAX} characters with a note of how much was left out
     */
    static String quote(String s) {
        if (s == null) {
            return "(null)";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX) + 16);
        int i = 0;
        for (; i < s.length() && b.length() < MAX; i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                b.append("\\\\");
            } else if (c == '\'') {
                b.append("\\'");
            } else if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else if (c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (i < s.length()) {
            b.append("...(").append(s.length() - i).append(" more chars)");
        }
        return b.toString();
    }
}
