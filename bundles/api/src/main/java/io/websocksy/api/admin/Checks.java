package io.websocksy.api.admin;

/** Argument checks shared by the value classes of this package. */
final class Checks {
    private Checks() {
    }

    static String nonEmpty(String s, String what) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return s;
    }

    static long notNegative(long n, String what) {
        if (n < 0) {
            throw new IllegalArgumentException(what + " must not be negative, got " + n);
        }
        return n;
    }

    /** RFC 9110 token, as used for header names, cookie names and subprotocols. */
    static boolean isToken(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** @return true when {@code s} has no control character (tab allowed when {@code tabOk}) */
    static boolean noControls(String s, boolean tabOk) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && !(tabOk && c == '\t')) || c == 0x7f) {
                return false;
            }
        }
        return true;
    }
}
