package io.websocksy.bridge.internal.config;

import java.util.Locale;

/** The line format of the access log ({@code access-log-format}). */
public enum AccessLogFormat {
    TEXT, JSON;

    /**
     * @return the format named {@code s} (case and surrounding blanks ignored)
     * @throws IllegalArgumentException for any other name
     */
    public static AccessLogFormat parse(String s) {
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "text": return TEXT;
            case "json": return JSON;
            default: throw new IllegalArgumentException("expected text or json");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
