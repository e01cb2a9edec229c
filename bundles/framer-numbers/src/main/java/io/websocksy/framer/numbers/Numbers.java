package io.websocksy.framer.numbers;

/**
 * Strict parsing of unsigned config numbers: decimal ({@code 512}) or hexadecimal with a {@code 0x}
 * or {@code 0X} prefix ({@code 0x200}), at most {@link Integer#MAX_VALUE}. No sign, no inner
 * whitespace, no underscores, and no leading zeros on decimal numbers ({@code 010} was octal in the
 * C original, so it is refused rather than silently read as ten).
 * <p>
 * One source compiled into each framer bundle that reads such numbers (dynamic32, fixedlength) as a
 * private package: plugins import only the API, so this is not a bundle of its own.
 */
public final class Numbers {
    private Numbers() {
    }

    /**
     * @param s the text, already stripped of surrounding whitespace
     * @param signed whether a leading {@code -} is allowed
     * @return what is wrong with it, or null when {@link #parse(String)} accepts it
     */
    public static String problem(String s, boolean signed) {
        if (s.isEmpty()) {
            return "empty value";
        }
        boolean negative = signed && s.charAt(0) == '-';
        String digits = negative ? s.substring(1) : s;
        if (digits.startsWith("+") || digits.startsWith("-")) {
            return "unexpected sign";
        }
        boolean hex = digits.length() > 1 && digits.charAt(0) == '0'
                && (digits.charAt(1) == 'x' || digits.charAt(1) == 'X');
        String body = hex ? digits.substring(2) : digits;
        if (body.isEmpty()) {
            return hex ? "no digits after 0x" : "no digits";
        }
        int radix = hex ? 16 : 10;
        long value = 0;
        for (int i = 0; i < body.length(); i++) {
            int d = Character.digit(body.charAt(i), radix);
            if (d < 0 || body.charAt(i) > 'f') { // Character.digit also accepts non-ASCII digits
                return "'" + body.charAt(i) + "' is not a " + (hex ? "hex " : "decimal ") + "digit";
            }
            value = value * radix + d;
            if (value > (negative ? 1L + Integer.MAX_VALUE : Integer.MAX_VALUE)) {
                return "number too large (maximum " + (negative ? Integer.MIN_VALUE : Integer.MAX_VALUE) + ")";
            }
        }
        if (!hex && body.length() > 1 && body.charAt(0) == '0') {
            return "leading zero (write decimal without leading zeros, or 0x for hex)";
        }
        return null;
    }

    /**
     * @param s a string that {@link #problem(String, boolean)} accepted
     * @return its value
     */
    public static long parse(String s) {
        boolean negative = s.charAt(0) == '-';
        String digits = negative ? s.substring(1) : s;
        boolean hex = digits.length() > 1 && (digits.charAt(1) == 'x' || digits.charAt(1) == 'X');
        long v = Long.parseLong(hex ? digits.substring(2) : digits, hex ? 16 : 10);
        return negative ? -v : v;
    }
}
