package io.websocksy.launcher;

import java.util.Objects;

/**
 * One option value and where the user wrote it, e.g. {@code argument 4 (-c framing=foo)} or
 * {@code /etc/websocksy.ini:7}, so that an error names the place to fix.
 *
 * @param key    the option's key ({@code port}, {@code host}, ...)
 * @param value  the value as written (never null)
 * @param source where it was written; {@code default} for a built-in default
 */
public record Setting(String key, String value, String source) {
    /** Source of a value nobody wrote. */
    public static final String DEFAULT = "default";

    public Setting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(source, "source");
    }
}
