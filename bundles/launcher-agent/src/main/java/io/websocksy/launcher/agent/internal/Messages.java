package io.websocksy.launcher.agent.internal;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turning component failures into the launcher's one-line messages. */
final class Messages {
    private static final Pattern EXCEPTION_PREFIX = Pattern.compile("^(?:[\\w$]+\\.)*[\\w$]*(?:Exception|Error): ");

    private Messages() {
    }

    /**
     * @param failure SCR's failure text (often a stack trace), may be null
     * @return its first line without a leading exception class name; "unknown failure" when empty
     */
    static String firstLine(String failure) {
        if (failure == null || failure.isBlank()) {
            return "unknown failure";
        }
        String line = failure.strip().split("\\R", 2)[0].strip();
        Matcher m;
        // "ComponentException: ...: IllegalArgumentException: msg" - keep the innermost message
        while ((m = EXCEPTION_PREFIX.matcher(line)).find()) {
            line = line.substring(m.end());
        }
        int nested = line.lastIndexOf("Exception: ");
        if (nested >= 0) {
            line = line.substring(nested + "Exception: ".length());
        }
        return line.isBlank() ? "unknown failure" : line;
    }

    /**
     * @param message  a component's error message, e.g. {@code pid: port = '0': out of range}
     * @param settings the settings the user gave, in order
     * @param fallback the source to name when the message names none of them
     * @return the source of the last setting whose key the message names as {@code key = }
     */
    static String sourceFor(String message, List<LaunchSpec.Setting> settings, String fallback) {
        String found = null;
        for (LaunchSpec.Setting s : settings) {
            if (message.contains(s.key + " = ") || message.startsWith(s.key + ":")) {
                found = s.source;
            }
        }
        return found != null ? found : fallback;
    }

    /**
     * @param value a value to put into an LDAP filter
     * @return the value with {@code \ * ( )} escaped (RFC 4515)
     */
    static String ldapEscape(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '*' || c == '(' || c == ')') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
