package io.websocksy.bridge.internal;

import java.util.Map;

import io.websocksy.api.admin.ListenerInfo;
import io.websocksy.api.config.ConfigKeys;

/**
 * Whether a {@link Listener} runs or has failed, and what the management view shows of a failed one.
 *
 * <p>A listener whose configuration is invalid, or whose address cannot be bound, still activates (so
 * that SCR never leaves it in FAILED ACTIVATION, where a corrected file is not applied): it binds nothing
 * and holds the error text here until a configuration update starts it. The raw configuration values
 * ({@code listen}, {@code port}, {@code backend}) are kept for the listing, since a failed configuration
 * may have no valid settings at all.
 */
public final class ListenerState {
    private final String name;
    private volatile String source;
    private volatile String failure;
    private volatile String address;
    private volatile String backend;
    private volatile boolean tls;

    /**
     * @param props the listener's component properties
     */
    ListenerState(Map<String, Object> props) {
        Object p = props.get("service.pid");
        String pid = p != null ? p.toString() : Listener.PID;
        int tilde = pid.indexOf('~');
        name = tilde >= 0 ? pid.substring(tilde + 1) : pid;
        configured(props);
    }

    /** Remembers the raw values of the latest configuration (listing of a failed listener). */
    public void configured(Map<String, Object> props) {
        source = ConfigKeys.source(props, Listener.PID);
        String listen = text(props.get("listen"), "::");
        String port = text(props.get("port"), "8001");
        address = (listen.indexOf(':') >= 0 ? "[" + listen + "]" : listen) + ":" + port;
        backend = text(props.get("backend"), "main");
        tls = !text(props.get("tls-certificate"), "").isEmpty();
    }

    private static String text(Object v, String def) {
        if (v instanceof String[]) {
            String[] a = (String[]) v;
            v = a.length == 0 ? null : a[0];
        }
        String s = v == null ? "" : v.toString().trim();
        return s.isEmpty() ? def : s;
    }

    /** @return the listener's name (its configuration's instance name) */
    public String name() {
        return name;
    }

    /** @return the file and PID of the latest configuration, for messages */
    public String source() {
        return source;
    }

    /**
     * @param message an error message about the configuration
     * @return it, starting with the file and PID when it does not already (e.g. a TLS file error)
     */
    public String named(String message) {
        String src = source;
        return message != null && message.startsWith(src) ? message : src + ": " + message;
    }

    /** @param why the error text (one line, fit to show a user) */
    public void failed(String why) {
        failure = why;
    }

    /** The listener runs (again). */
    public void running() {
        failure = null;
    }

    /** @return the error text while failed, else null */
    public String failure() {
        return failure;
    }

    /**
     * @throws IllegalStateException when failed (drain, resume and dry runs need a running listener)
     */
    public void requireRunning() {
        String f = failure;
        if (f != null) {
            throw new IllegalStateException("listener " + name + " is failed: " + f);
        }
    }

    /**
     * @param backendBound whether a backend of the configured name runs
     * @return the management view of the failed listener
     */
    public ListenerInfo failedInfo(boolean backendBound) {
        return ListenerInfo.named(name).address(address).tls(tls).backend(backend, backendBound)
                .state(ListenerInfo.State.FAILED).counts(0, 0, 0, 0)
                .failure(failure == null ? "not running" : failure).build();
    }

    /** @return the configured backend name (raw) */
    public String backend() {
        return backend;
    }
}
