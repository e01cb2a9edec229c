package io.websocksy.shell.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * An aligned text table: a header row, then rows; columns separated by two spaces, numeric columns
 * right-aligned, no trailing blanks. Control characters in cells are shown as {@code ?} so a value
 * can never break the layout or the terminal.
 */
final class Table {
    private final String[] headers;
    private final boolean[] right;
    private final List<String[]> rows = new ArrayList<>();

    /** @param headers column headers; a header starting with {@code >} is right-aligned (the {@code >} is dropped) */
    Table(String... headers) {
        this.headers = new String[headers.length];
        this.right = new boolean[headers.length];
        for (int i = 0; i < headers.length; i++) {
            right[i] = headers[i].startsWith(">");
            this.headers[i] = right[i] ? headers[i].substring(1) : headers[i];
        }
    }

    /**
     * @param cells one value per column ({@code null} shows as {@code -})
     * @return this
     */
    Table row(Object... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + headers.length
                    + " columns");
        }
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            r[i] = clean(cells[i] == null ? "-" : cells[i].toString());
        }
        rows.add(r);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    static String clean(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ? '?' : c);
        }
        return b.length() == 0 ? "-" : b.toString();
    }

    /** @return the table, one line per row, each ending in a newline */
    String render() {
        int[] w = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            w[i] = headers[i].length();
        }
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, headers, w);
        for (String[] r : rows) {
            line(out, r, w);
        }
        return out.toString();
    }

    private void line(StringBuilder out, String[] cells, int[] w) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                l.append("  ");
            }
            String c = cells[i];
            int pad = w[i] - c.length();
            if (right[i]) {
                l.append(" ".repeat(pad)).append(c);
            } else {
                l.append(c).append(" ".repeat(pad));
            }
        }
        int end = l.length();
        while (end > 0 && l.charAt(end - 1) == ' ') {
            end--;
        }
        out.append(l, 0, end).append('\n');
    }
}
