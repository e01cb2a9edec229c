package io.websocksy.webconsole.internal;

/** HTML encoding of text for element content and quoted attribute values. */
final class Html {
    private Html() {
    }

    /**
     * @param s any text, null as empty
     * @return {@code s} with {@code & < > " '} encoded and control characters other than tab and newline replaced
     */
    static String esc(Object s) {
        if (s == null) {
            return "";
        }
        String v = String.valueOf(s);
        StringBuilder b = new StringBuilder(v.length() + 16);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '&': b.append("&amp;"); break;
                case '<': b.append("&lt;"); break;
                case '>': b.append("&gt;"); break;
                case '"': b.append("&quot;"); break;
                case '\'': b.append("&#39;"); break;
                default:
                    b.append((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f ? '\uFFFD' : c);
            }
        }
        return b.toString();
    }
}
