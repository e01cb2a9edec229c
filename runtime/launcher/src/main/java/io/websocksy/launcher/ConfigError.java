package io.websocksy.launcher;

/**
 * Bad input on the command line or in the INI file. {@link #getMessage()} is the one line printed after
 * {@code websocksy: }; it starts with the source (argument or file:line) and, where there is one, names the
 * key and the value.
 */
public final class ConfigError extends Exception {
    private static final long serialVersionUID = 1L;

    private ConfigError(String message) {
        super(message);
    }

    /**
     * @param source  where the value was written
     * @param key     the option
     * @param value   the value as written
     * @param problem what is wrong with it
     * @return {@code <source>: <key> = '<value>': <problem>}
     */
    public static ConfigError of(String source, String key, String value, String problem) {
        return new ConfigError(source + ": " + key + " = '" + value + "': " + problem);
    }

    /**
     * @param source  where the problem is
     * @param problem what is wrong
     * @return {@code <source>: <problem>}
     */
    public static ConfigError at(String source, String problem) {
        return new ConfigError(source + ": " + problem);
    }

    /**
     * @param s       the setting
     * @param problem what is wrong with it
     * @return {@link #of(String, String, String, String)} for that setting
     */
    public static ConfigError of(Setting s, String problem) {
        return of(s.source(), s.key(), s.value(), problem);
    }
}
