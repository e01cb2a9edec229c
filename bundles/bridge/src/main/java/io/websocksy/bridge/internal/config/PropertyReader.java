package io.websocksy.bridge.internal.config;

import java.util.Map;

/**
 * Reads component properties whose values may be Strings (FileInstall {@code .cfg}) or typed values
 * (ConfigAdmin), and reports a bad value with the file (when FileInstall read one), the PID, the key and
 * the value.
 */
public final class PropertyReader {
    private final String pid;
    private final String source;
    private final Map<String, Object> props;

    public PropertyReader(String pid, Map<String, Object> props) {
        Object p = props.get("service.pid");
        this.pid = p != null ? p.toString() : pid;
        this.source = io.websocksy.api.config.ConfigKeys.source(props, pid);
        this.props = props;
    }

    /** @return the file and PID for messages, e.g. {@code /x/deploy/websocksy.listener-main.cfg (websocksy.listener~main)} */
    String source() {
        return source;
    }

    /**
     * @param metatype the configuration's metatype annotation
     * @throws IllegalArgumentException naming the file, the first unknown key and the closest known key
     */
    public void checkKeys(Class<? extends java.lang.annotation.Annotation> metatype) {
        io.websocksy.api.config.ConfigKeys.of(metatype).check(source, props);
    }

    String pid() {
        return pid;
    }

    public String string(String key, String def) {
        Object v = props.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof String[]) {
            String[] a = (String[]) v;
            return a.length == 0 ? def : a[0];
        }
        return v.toString().trim();
    }

    public int integer(String key, int def, int min, int max) {
        Object v = props.get(key);
        if (v == null || (v instanceof String && ((String) v).isBlank())) {
            return def;
        }
        long n;
        if (v instanceof Number) {
            n = ((Number) v).longValue();
        } else {
            try {
                n = Long.parseLong(v.toString().trim());
            } catch (NumberFormatException e) {
                throw bad(key, v, "not a whole number");
            }
        }
        if (n < min || n > max) {
            throw bad(key, v, "out of range " + min + "-" + max);
        }
        return (int) n;
    }

    public boolean bool(String key, boolean def) {
        Object v = props.get(key);
        if (v == null || (v instanceof String && ((String) v).isBlank())) {
            return def;
        }
        if (v instanceof Boolean) {
            return (Boolean) v;
        }
        String s = v.toString().trim();
        if (s.equalsIgnoreCase("true")) {
            return true;
        }
        if (s.equalsIgnoreCase("false")) {
            return false;
        }
        throw bad(key, v, "expected true or false");
    }

    IllegalArgumentException bad(String key, Object value, String problem) {
        return new IllegalArgumentException(source + ": " + key + " = '" + value + "': " + problem);
    }
}
