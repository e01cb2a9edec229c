package io.websocksy.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A tiny {@code --key value} / {@code --flag} parser for the bench processes; unknown keys are errors. */
final class Args {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    Args(String[] argv, String... flags) {
        List<String> flagList = List.of(flags);
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--")) {
                positional.add(a);
                continue;
            }
            String key = a.substring(2);
            int eq = key.indexOf('=');
            if (eq >= 0) {
                values.put(key.substring(0, eq), key.substring(eq + 1));
            } else if (flagList.contains(key)) {
                values.put(key, "true");
            } else if (i + 1 < argv.length) {
                values.put(key, argv[++i]);
            } else {
                throw new IllegalArgumentException("option --" + key + " needs a value");
            }
        }
    }

    String get(String key, String def) {
        return values.getOrDefault(key, def);
    }

    String require(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing option --" + key);
        }
        return v;
    }

    int integer(String key, int def) {
        String v = values.get(key);
        if (v == null) {
            return def;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option --" + key + " is not an integer: '" + v + "'");
        }
    }

    boolean flag(String key) {
        return Boolean.parseBoolean(values.getOrDefault(key, "false"));
    }

    List<String> positional() {
        return positional;
    }

    void allow(String... keys) {
        List<String> ok = List.of(keys);
        for (String k : values.keySet()) {
            if (!ok.contains(k)) {
                throw new IllegalArgumentException("unknown option --" + k + " (known: " + String.join(", ", ok) + ")");
            }
        }
    }

    static List<Integer> ports(String csv) {
        List<Integer> out = new ArrayList<>();
        if (csv == null || csv.isBlank()) {
            return out;
        }
        for (String p : csv.split(",")) {
            int port = Integer.parseInt(p.trim());
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            out.add(port);
        }
        return out;
    }
}
