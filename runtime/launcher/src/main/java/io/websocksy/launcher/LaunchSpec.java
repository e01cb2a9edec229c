package io.websocksy.launcher;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * What the command line or the INI file asks for: one listener ({@code listen}, {@code port},
 * {@code ping}), the type of its backend and the backend's options in the order they were written.
 * {@link #validate()} checks everything that can be checked without the running container; the launcher
 * agent bundle checks the rest (backend type installed, option names, framer name and config).
 */
public final class LaunchSpec {
    /** Default listen address (dual stack), as the C original's {@code ::}. */
    public static final String DEFAULT_LISTEN = "::";
    /** Default port. */
    public static final String DEFAULT_PORT = "8001";
    /** Default keep-alive ping interval in seconds. */
    public static final String DEFAULT_PING = "30";
    /** Default backend type. */
    public static final String DEFAULT_BACKEND = "default";
    /** The longest accepted ping interval, as the listener's {@code ping} range. */
    public static final int MAX_PING = 86_400;

    private static final Pattern BACKEND_TYPE = Pattern.compile("[A-Za-z0-9_]+");

    Setting listen = new Setting("listen", DEFAULT_LISTEN, Setting.DEFAULT);
    Setting port = new Setting("port", DEFAULT_PORT, Setting.DEFAULT);
    Setting ping = new Setting("ping", DEFAULT_PING, Setting.DEFAULT);
    Setting backend = new Setting("backend", DEFAULT_BACKEND, Setting.DEFAULT);
    final List<Setting> options = new ArrayList<>();
    /**
     * Further listener keys (e.g. {@code web}, {@code tls-certificate}) written by
     * {@link WebsockifyArguments}; the C websocksy's command line and INI file have none.
     */
    final List<Setting> listenerOptions = new ArrayList<>();
    /**
     * When the process ends by itself ({@code idle-timeout}, {@code timeout} in seconds, {@code run-once}
     * {@code true}); empty: it runs until stopped.
     */
    final List<Setting> exitWhen = new ArrayList<>();
    /** Debug logging ({@code websockify --verbose}); the launcher sets the log level before the framework starts. */
    boolean verbose;

    /** @return the listen address setting */
    public Setting listen() {
        return listen;
    }

    /** @return the port setting */
    public Setting port() {
        return port;
    }

    /** @return the ping setting */
    public Setting ping() {
        return ping;
    }

    /** @return the backend type setting */
    public Setting backend() {
        return backend;
    }

    /** @return the backend's options in order (repeated keys kept) */
    public List<Setting> options() {
        return List.copyOf(options);
    }

    /** @return the further listener keys in order */
    public List<Setting> listenerOptions() {
        return List.copyOf(listenerOptions);
    }

    /** @return the exit conditions */
    public List<Setting> exitWhen() {
        return List.copyOf(exitWhen);
    }

    /** @return whether debug logging was asked for */
    public boolean verbose() {
        return verbose;
    }

    /**
     * Checks the core values: {@code port} 1-65535 (0, "any free port", is refused here: nobody could
     * find the listener), {@code ping} a whole number of seconds 0-86400, a non-empty {@code listen}, and a
     * backend type that can name a configuration PID {@code websocksy.backend.<type>}.
     *
     * @return this
     * @throws ConfigError naming the first bad value
     */
    public LaunchSpec validate() throws ConfigError {
        if (listen.value().isEmpty()) {
            throw ConfigError.of(listen, "empty address (use :: for every address)");
        }
        int p = number(port.value());
        if (p < 1 || p > 65_535) {
            throw ConfigError.of(port, "not a port number (expected 1-65535)");
        }
        int k = number(ping.value());
        if (k < 0 || k > MAX_PING) {
            throw ConfigError.of(ping, "not a number of seconds (expected 0-" + MAX_PING + ", 0 = no pings)");
        }
        if (!BACKEND_TYPE.matcher(backend.value()).matches()) {
            throw ConfigError.of(backend, "not a backend name (letters, digits and _ only, e.g. default or file)");
        }
        for (Setting o : options) {
            if (o.key().isEmpty()) {
                throw ConfigError.of(o, "empty option name");
            }
        }
        return this;
    }

    /** @return the decimal value, or -1 when it is not a plain decimal number */
    private static int number(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(s);
    }

    /**
     * The hand-over to the launcher agent bundle, as {@link Properties} text: {@code listen}, {@code port},
     * {@code ping}, {@code backend}, each with a {@code .source}, then {@code options} (the count) and
     * {@code option.<i>.key/.value/.source} for i = 1..count. The agent reads it with
     * {@link Properties#load(java.io.Reader)}.
     *
     * @return the encoded spec
     */
    public String encode() {
        Properties p = new Properties();
        for (Setting s : List.of(listen, port, ping, backend)) {
            p.setProperty(s.key(), s.value());
            p.setProperty(s.key() + ".source", s.source());
        }
        p.setProperty("options", Integer.toString(options.size()));
        for (int i = 0; i < options.size(); i++) {
            Setting o = options.get(i);
            p.setProperty("option." + (i + 1) + ".key", o.key());
            p.setProperty("option." + (i + 1) + ".value", o.value());
            p.setProperty("option." + (i + 1) + ".source", o.source());
        }
        list(p, "listener", listenerOptions);
        list(p, "exit", exitWhen);
        StringWriter w = new StringWriter();
        try {
            p.store(w, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** {@code <prefix>s} (the count) and {@code <prefix>.<i>.key/.value/.source}; nothing when empty. */
    private static void list(Properties p, String prefix, List<Setting> settings) {
        if (settings.isEmpty()) {
            return;
        }
        p.setProperty(prefix + "s", Integer.toString(settings.size()));
        for (int i = 0; i < settings.size(); i++) {
            Setting o = settings.get(i);
            p.setProperty(prefix + "." + (i + 1) + ".key", o.key());
            p.setProperty(prefix + "." + (i + 1) + ".value", o.value());
            p.setProperty(prefix + "." + (i + 1) + ".source", o.source());
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("listen=").append(listen.value()).append(" port=").append(port.value())
                .append(" ping=").append(ping.value()).append(" backend=").append(backend.value());
        for (Setting o : options) {
            b.append(' ').append(o.key()).append('=').append(o.value());
        }
        for (Setting o : listenerOptions) {
            b.append(" listener.").append(o.key()).append('=').append(o.value());
        }
        for (Setting o : exitWhen) {
            b.append(" exit.").append(o.key()).append('=').append(o.value());
        }
        return b.toString();
    }
}
