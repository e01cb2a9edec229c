package io.websocksy.launcher.agent.internal;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The launcher's hand-over (see {@code io.websocksy.launcher.LaunchSpec#encode()}): the listener's
 * {@code listen}, {@code port}, {@code ping}, the backend type and the backend's options in order, each with
 * the place the user wrote it.
 */
final class LaunchSpec {
    /** One value and its source. */
    static final class Setting {
        final String key;
        final String value;
        final String source;

        Setting(String key, String value, String source) {
            this.key = key;
            this.value = value;
            this.source = source;
        }

        @Override
        public String toString() {
            return key + "=" + value + " (" + source + ")";
        }
    }

    final Setting listen;
    final Setting port;
    final Setting ping;
    final Setting backend;
    final List<Setting> options;
    /** further listener keys (websockify's command line), in order */
    final List<Setting> listenerOptions;
    /** when the process ends by itself: idle-timeout, timeout (seconds), run-once */
    final List<Setting> exitWhen;

    private LaunchSpec(Properties p) {
        listen = core(p, "listen");
        port = core(p, "port");
        ping = core(p, "ping");
        backend = core(p, "backend");
        int n = Integer.parseInt(p.getProperty("options", "0"));
        List<Setting> o = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            o.add(new Setting(required(p, "option." + i + ".key"), required(p, "option." + i + ".value"),
                    required(p, "option." + i + ".source")));
        }
        options = List.copyOf(o);
        listenerOptions = list(p, "listener");
        exitWhen = list(p, "exit");
    }

    private static List<Setting> list(Properties p, String prefix) {
        int n = Integer.parseInt(p.getProperty(prefix + "s", "0"));
        List<Setting> o = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            o.add(new Setting(required(p, prefix + "." + i + ".key"), required(p, prefix + "." + i + ".value"),
                    required(p, prefix + "." + i + ".source")));
        }
        return List.copyOf(o);
    }

    /**
     * @param text the encoded spec
     * @return the spec
     * @throws IllegalArgumentException when the text is not a spec (a launcher of another version)
     */
    static LaunchSpec decode(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed launch spec: " + e.getMessage(), e);
        }
        try {
            return new LaunchSpec(p);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed launch spec: " + e.getMessage(), e);
        }
    }

    private static Setting core(Properties p, String key) {
        return new Setting(key, required(p, key), required(p, key + ".source"));
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException("malformed launch spec: no " + key);
        }
        return v;
    }
}
