package io.websocksy.backend.file.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The validated, immutable settings of one file-backend instance. Plain Java (no OSGi types) so it is
 * tested directly; {@link FileBackendComponent} swaps whole instances.
 */
final class FileSettings {
    static final String DEFAULT_NAME = "main";
    static final String DEFAULT_EXPRESSION = "%endpoint%.txt";
    /** At most this many templates; each costs file-system calls per connection. */
    static final int MAX_TEMPLATES = 64;

    private final String name;
    private final Path base;
    private final List<Template> templates;
    private final io.websocksy.api.backend.PeerProxyProtocol peerProxy;

    private FileSettings(String name, Path base, List<Template> templates,
            io.websocksy.api.backend.PeerProxyProtocol peerProxy) {
        this.peerProxy = peerProxy;
        this.name = name;
        this.base = base;
        this.templates = List.copyOf(templates);
    }

    /**
     * @param c the component's configuration
     * @param instance the factory configuration's instance name (the part after {@code ~} of the PID), or null
     * @return the validated settings
     * @throws IllegalArgumentException naming the key and value of the first bad setting
     */
    static FileSettings parse(Config c, String instance) {
        return parse(c.name(), c.path(), c.expression(), instance, c.peer$_$proxy$_$protocol());
    }

    /** As {@link #parse(String, String, Object, String, String)} without a PROXY header to peers. */
    static FileSettings parse(String name, String path, Object expression, String instance) {
        return parse(name, path, expression, instance, null);
    }

    /**
     * Validates every setting.
     *
     * @param name the {@code name} key; null or blank: {@code instance}, else {@value #DEFAULT_NAME}
     * @param path the {@code path} key (required)
     * @param expression the {@code expression} key: a String (comma-separated), a String[] or a Collection of
     *     Strings, each element possibly comma-separated too; null means the default
     * @param instance the factory configuration's instance name, or null
     * @return the validated settings
     * @throws IllegalArgumentException naming the key and value of the first bad setting
     */
    static FileSettings parse(String name, String path, Object expression, String instance, String peerProxyProtocol) {
        io.websocksy.api.backend.PeerProxyProtocol pp;
        try {
            pp = io.websocksy.api.backend.PeerProxyProtocol.parse(peerProxyProtocol);
        } catch (IllegalArgumentException e) {
            throw bad("peer-proxy-protocol", peerProxyProtocol, e.getMessage());
        }
        String n = name == null ? "" : name.trim();
        if (n.isEmpty()) {
            n = instance != null && !instance.isBlank() ? instance.trim() : DEFAULT_NAME;
        }
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw bad("name", name, "control character in the name");
            }
        }

        if (path == null || path.isBlank()) {
            throw bad("path", path, "not set; name the directory that holds the route files");
        }
        Path base;
        try {
            base = Paths.get(path.trim()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw bad("path", path, "not a valid path: " + e.getReason());
        }
        if (!Files.exists(base)) {
            throw bad("path", path, "does not exist (" + base + ")");
        }
        if (!Files.isDirectory(base)) {
            throw bad("path", path, "is not a directory (" + base + ")");
        }
        try {
            base.toRealPath();
        } catch (IOException e) {
            throw bad("path", path, "cannot be resolved: " + e);
        }
        if (!Files.isReadable(base) || !Files.isExecutable(base)) {
            throw bad("path", path, "is not readable and searchable by this process (" + base + ")");
        }
        // the base itself may be a symlink to a directory: confinement compares real paths per look-up

        List<String> raw = splitExpressions(expression);
        if (raw.isEmpty()) {
            throw bad("expression", String.valueOf(expression), "no template given");
        }
        if (raw.size() > MAX_TEMPLATES) {
            throw bad("expression", String.join(", ", raw), "more than " + MAX_TEMPLATES + " templates");
        }
        List<Template> templates = new ArrayList<>();
        for (String t : raw) {
            if (t.isEmpty()) {
                throw bad("expression", joined(expression), "empty template (check for doubled or trailing commas)");
            }
            try {
                templates.add(Template.parse(t));
            } catch (IllegalArgumentException e) {
                throw bad("expression", t, e.getMessage());
            }
        }
        return new FileSettings(n, base, templates, pp);
    }

    /**
     * Flattens the {@code expression} value: FileInstall gives a String from a plain {@code .cfg}, or an array
     * or list from a typed one; SCR turns either into a String[]. Every element is split at commas and
     * trimmed, so commas cannot appear inside a template.
     */
    static List<String> splitExpressions(Object expression) {
        List<String> elements = new ArrayList<>();
        if (expression == null) {
            elements.add(DEFAULT_EXPRESSION);
        } else if (expression instanceof String) {
            elements.add((String) expression);
        } else if (expression instanceof String[]) {
            for (String s : (String[]) expression) {
                elements.add(s == null ? "" : s);
            }
        } else if (expression instanceof Collection) {
            for (Object o : (Collection<?>) expression) {
                elements.add(o == null ? "" : String.valueOf(o));
            }
        } else {
            elements.add(String.valueOf(expression));
        }
        List<String> out = new ArrayList<>();
        for (String e : elements) {
            for (String piece : e.split(",", -1)) {
                out.add(piece.trim());
            }
        }
        return out;
    }

    private static String joined(Object expression) {
        if (expression instanceof String[]) {
            return String.join(", ", (String[]) expression);
        }
        return String.valueOf(expression);
    }

    private static IllegalArgumentException bad(String key, String value, String problem) {
        return new IllegalArgumentException(key + " = '" + LogText.quote(value) + "': " + problem);
    }

    /** @return the instance name, published as {@code websocksy.backend.name} */
    String name() {
        return name;
    }

    /** @return the base directory, absolute and normalised (not resolved through symlinks) */
    Path base() {
        return base;
    }

    /** @return the templates, in order */
    List<Template> templates() {
        return templates;
    }

    /** @return the PROXY header sent to tcp/unix peers of routes from files (off by default) */
    io.websocksy.api.backend.PeerProxyProtocol peerProxyProtocol() {
        return peerProxy;
    }

    /** @return the effective settings, for the activate/modify log line */
    String describe() {
        List<String> t = new ArrayList<>();
        for (Template x : templates) {
            t.add(x.source());
        }
        return "name=" + name + ", path=" + base + ", expression=" + String.join(", ", t)
                + (peerProxy == io.websocksy.api.backend.PeerProxyProtocol.OFF ? "" : ", peer-proxy-protocol=" + peerProxy);
    }

    @Override
    public String toString() {
        return "FileSettings[" + describe() + "]";
    }
}
