package io.websocksy.api.config;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys one configuration may hold, and the check of a configuration against them.
 *
 * <p>Built from the configuration's metatype annotation ({@link #of(Class)}: the key of each element is
 * derived with the Declarative Services name mapping, so {@code max$_$connections$_$per$_$ip()} is
 * {@code max-connections-per-ip}), the annotation stays the one list of keys. Keys the framework
 * adds ({@code service.pid}, {@code felix.fileinstall.filename}, {@code component.name}, ...) are
 * always accepted: see {@link #isFrameworkKey(String)}.
 *
 * <p>An unknown key is reported with the closest known key when one is near enough to be a typo
 * (edit distance, a swap of neighbours counting as one edit, at most a third of the key's length, and at least 1, at most 3), else with the
 * list of known keys:
 * <pre>
 * unknown key (did you mean 'allowed-origins'?)
 * unknown key (known: backend, listen, ping, port)
 * </pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ConfigKeys {
    /** The configuration property in which FileInstall records the file a configuration came from. */
    public static final String FILE_PROPERTY = "felix.fileinstall.filename";

    private final Set<String> keys;

    private ConfigKeys(Collection<String> keys) {
        this.keys = Collections.unmodifiableSet(new TreeSet<>(keys));
    }

    /**
     * @param metatype a configuration annotation type (an {@code @ObjectClassDefinition} interface, or
     *     any annotation type used as a DS component property type)
     * @return the keys of its elements, in the Declarative Services name mapping
     */
    public static ConfigKeys of(Class<? extends Annotation> metatype) {
        Objects.requireNonNull(metatype, "metatype");
        List<String> names = new ArrayList<>();
        for (Method m : metatype.getDeclaredMethods()) {
            if (m.getParameterCount() == 0 && !m.isSynthetic()) {
                names.add(keyOf(m.getName()));
            }
        }
        return new ConfigKeys(names);
    }

    /**
     * @param keys the known keys (e.g. a metatype service's attribute ids)
     * @return a checker for them
     */
    public static ConfigKeys of(Collection<String> keys) {
        return new ConfigKeys(Objects.requireNonNull(keys, "keys"));
    }

    /**
     * The Declarative Services 1.4 mapping of an annotation element name to a property key (OSGi
     * Compendium 112.8.2.2): {@code $$} is {@code $}, {@code $_$} is {@code -}, another {@code $} is
     * dropped, {@code __} is {@code _} and a single {@code _} is {@code .}.
     *
     * @param element the element (method) name
     * @return the property key
     */
    public static String keyOf(String element) {
        StringBuilder b = new StringBuilder(element.length());
        int i = 0;
        while (i < element.length()) {
            char c = element.charAt(i);
            if (c == '$') {
                if (element.startsWith("$$", i)) {
                    b.append('$');
                    i += 2;
                } else if (element.startsWith("$_$", i)) {
                    b.append('-');
                    i += 3;
                } else {
                    i++;
                }
            } else if (c == '_') {
                if (element.startsWith("__", i)) {
                    b.append('_');
                    i += 2;
                } else {
                    b.append('.');
                    i++;
                }
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }

    /** @return the known keys, sorted */
    public Set<String> keys() {
        return keys;
    }

    /**
     * @param key a property key
     * @return true for keys that ConfigurationAdmin, Declarative Services or FileInstall put into a
     *     configuration, never a user: {@code service.*}, {@code component.*}, {@code felix.fileinstall.*},
     *     {@code osgi.ds.*} (e.g. DS 1.5's {@code osgi.ds.satisfying.condition.target}), {@code objectClass} and
     *     keys starting with {@code .} (private by the DS convention); also {@code <reference>.target}, the DS way
     *     to narrow a reference from the configuration
     */
    public static boolean isFrameworkKey(String key) {
        return key.startsWith("service.") || key.startsWith("component.") || key.startsWith("felix.fileinstall.")
                || key.startsWith("osgi.ds.") || key.startsWith(".") || key.equals("objectClass")
                || key.endsWith(".target");
    }

    /**
     * @param key a property key
     * @return true when it is a known key or a framework key
     */
    public boolean accepts(String key) {
        return keys.contains(key) || isFrameworkKey(key);
    }

    /**
     * @param given the keys of a configuration
     * @return those that are neither known nor framework keys, sorted
     */
    public List<String> unknown(Iterable<String> given) {
        TreeSet<String> out = new TreeSet<>();
        for (String k : given) {
            if (!accepts(k)) {
                out.add(k);
            }
        }
        return new ArrayList<>(out);
    }

    /**
     * @param key an unknown key
     * @return the known key nearest to it, when it is near enough to be a typo of it
     */
    public Optional<String> closest(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : keys) {
            int d = distance(key.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        int limit = Math.max(1, Math.min(3, key.length() / 3));
        return best != null && bestDistance <= limit ? Optional.of(best) : Optional.empty();
    }

    /**
     * @param key an unknown key
     * @return {@code (did you mean '<closest>'?)}, or {@code (known: a, b, ...)} when none is close
     */
    public String hint(String key) {
        Optional<String> c = closest(key);
        return c.map(s -> "(did you mean '" + s + "'?)").orElseGet(() -> "(known: " + String.join(", ", keys) + ")");
    }

    /**
     * Checks a configuration's keys.
     *
     * @param source where the configuration came from, as {@link #source(Map, String)} says; starts the message
     * @param props  the configuration
     * @throws IllegalArgumentException for the first unknown key (in sorted order), with the message
     *     {@code <source>: <key> = '<value>': unknown key (did you mean '<closest>'?)}
     */
    public void check(String source, Map<String, ?> props) {
        List<String> bad = unknown(props.keySet());
        if (!bad.isEmpty()) {
            String k = bad.get(0);
            throw new IllegalArgumentException(source + ": " + k + " = '" + text(props.get(k)) + "': unknown key "
                    + hint(k) + (bad.size() > 1 ? "; also unknown: " + String.join(", ", bad.subList(1, bad.size())) : ""));
        }
    }

    /**
     * Names a configuration for messages: the file FileInstall read it from ({@value #FILE_PROPERTY}) and its
     * PID, e.g. {@code /opt/websocksy/deploy/websocksy.listener-main.cfg (websocksy.listener~main)}, or the PID
     * alone for a configuration that did not come from a file.
     *
     * @param props the configuration (or the component properties, which hold it)
     * @param pid   the PID to name when the properties hold no {@code service.pid}
     * @return the description
     */
    public static String source(Map<String, ?> props, String pid) {
        Object p = props.get("service.pid");
        String id = p != null ? String.valueOf(p) : pid;
        Optional<String> f = file(props);
        return f.isPresent() ? f.get() + " (" + id + ")" : id;
    }

    /**
     * @param props a configuration
     * @return the path of the file it was read from, when FileInstall read it from one
     */
    public static Optional<String> file(Map<String, ?> props) {
        Object f = props.get(FILE_PROPERTY);
        if (f == null || String.valueOf(f).isBlank()) {
            return Optional.empty();
        }
        String s = String.valueOf(f);
        if (s.startsWith("file:")) {
            try {
                s = java.nio.file.Paths.get(java.net.URI.create(s)).toString();
            } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
                s = s.substring("file:".length());
            }
        }
        return Optional.of(s);
    }

    private static String text(Object v) {
        if (v instanceof String[]) {
            return String.join(",", (String[]) v);
        }
        if (v instanceof Collection) {
            List<String> parts = new ArrayList<>();
            for (Object o : (Collection<?>) v) {
                parts.add(String.valueOf(o));
            }
            return String.join(",", parts);
        }
        return String.valueOf(v);
    }

    /**
     * Edit distance with adjacent transpositions (optimal string alignment): insert, delete or substitute
     * one character, or swap two neighbours, so that {@code prot} is one edit from {@code port}.
     */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    @Override
    public String toString() {
        return "ConfigKeys" + keys;
    }
}
