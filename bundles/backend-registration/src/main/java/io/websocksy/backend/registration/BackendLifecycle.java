package io.websocksy.backend.registration;

import java.lang.annotation.Annotation;
import java.util.Map;
import java.util.function.Function;

import org.osgi.framework.BundleContext;
import org.slf4j.Logger;

import io.websocksy.api.backend.Backend;
import io.websocksy.api.config.ConfigKeys;

/**
 * The configuration lifecycle every websocksy backend component shares, so that each component says only what
 * is its own (how to parse, start and replace its settings):
 * <ul>
 * <li><b>activate</b>: the configuration's keys are checked against the metatype (an unknown or misspelt key is
 * an error naming the file, the key and the closest known key), the settings are parsed and started, and the
 * {@link Backend} service is registered under the settings' name. A configuration that cannot be used is
 * logged once ({@code <kind> not started: <file> (<pid>): <key> = '<value>': <cause>}) and leaves the component
 * active without a service, its error published by {@link BackendRegistration#failed}; it does not throw, so
 * SCR never holds the component in FAILED ACTIVATION (where a corrected file would be ignored).</li>
 * <li><b>modified</b>: a failed backend starts with the new configuration; a running one applies it, and a
 * configuration it cannot use is logged once ({@code ...; keeping the previous configuration}) while the
 * previous settings keep serving. A new name is published.</li>
 * <li><b>deactivate</b>: the service (or the published failure) is withdrawn.</li>
 * </ul>
 * The component keeps its own resources (threads, connections) in its {@link Hooks}. Not thread-safe: the
 * components call it under their own lock. One source compiled into each backend bundle, like
 * {@link BackendRegistration}.
 *
 * @param <S> the backend's validated settings
 */
public final class BackendLifecycle<S> {
    /**
     * What one kind of backend does with its settings; each method may throw {@link IllegalArgumentException}
     * naming the key and cause (e.g. a key file that cannot be read) to refuse the settings.
     *
     * @param <S> the settings
     */
    public interface Hooks<S> {
        /** Starts serving {@code settings}: the first usable configuration. */
        void start(S settings);

        /** Replaces the running settings by {@code settings}; when it throws, the previous ones stay. */
        void apply(S settings);

        /** @return the backend name the settings give (the {@code name} key, else the instance name) */
        String name(S settings);

        /** @return the settings as the log lines show them, after {@link #start} or {@link #apply} */
        String describe(S settings);
    }

    private final String kind;
    private final String factoryPid;
    private final ConfigKeys keys;
    private final Logger log;
    private final Backend service;
    private final boolean inline;
    private final Hooks<S> hooks;
    private final BackendRegistration registration = new BackendRegistration();
    private volatile String pid;
    private volatile String source;
    private BundleContext context;

    /**
     * @param kind       how messages name the backend ({@code "token backend"})
     * @param factoryPid the configuration's factory PID ({@code websocksy.backend.token})
     * @param metatype   the configuration annotation: its keys are the known ones
     * @param log        the component's logger
     * @param service    the component, registered as the {@link Backend}
     * @param inline     whether {@code route()} never blocks ({@link Backend#INLINE})
     * @param hooks      the component's own start and apply
     */
    public BackendLifecycle(String kind, String factoryPid, Class<? extends Annotation> metatype, Logger log,
            Backend service, boolean inline, Hooks<S> hooks) {
        this.kind = kind;
        this.factoryPid = factoryPid;
        this.keys = ConfigKeys.of(metatype);
        this.log = log;
        this.service = service;
        this.inline = inline;
        this.hooks = hooks;
        this.pid = factoryPid;
        this.source = factoryPid;
    }

    /**
     * @param context the component's bundle context
     * @param props   the component properties (the configuration)
     * @param parse   the instance name (after {@code ~} in the PID, or null) to the parsed settings
     */
    public void activate(BundleContext context, Map<String, Object> props, Function<String, S> parse) {
        this.context = context;
        startOrFail(props, parse, "active");
    }

    /**
     * @param props the new component properties
     * @param parse as for {@link #activate}
     */
    public void modified(Map<String, Object> props, Function<String, S> parse) {
        if (registration.failure() != null) {
            startOrFail(props, parse, "started after a configuration update");
            return;
        }
        S s;
        try {
            s = parse(props, parse);
            hooks.apply(s);
        } catch (IllegalArgumentException e) {
            log.error("{}; keeping the previous configuration", BackendRegistration.named(source, e));
            return;
        }
        registration.rename(hooks.name(s));
        log.info("{}: {} modified: {}", pid, kind, hooks.describe(s));
    }

    /** Withdraws the service or the published failure. */
    public void deactivate() {
        registration.unregister();
    }

    private void startOrFail(Map<String, Object> props, Function<String, S> parse, String verb) {
        S s;
        try {
            s = parse(props, parse);
            hooks.start(s);
        } catch (IllegalArgumentException e) {
            String why = BackendRegistration.named(source, e);
            registration.failed(context, pid, why);
            log.error("{} not started: {}", kind, why);
            return;
        }
        registration.register(context, service, hooks.name(s), inline);
        log.info("{}: {} {}: {}", pid, kind, verb, hooks.describe(s));
    }

    private S parse(Map<String, Object> props, Function<String, S> parse) {
        pid = BackendRegistration.pidOf(props, factoryPid);
        source = ConfigKeys.source(props, factoryPid);
        keys.check(source, props);
        return parse.apply(BackendRegistration.instanceOf(pid));
    }

    /** @return the configuration's PID ({@code websocksy.backend.token~vnc}), for messages */
    public String pid() {
        return pid;
    }

    /** @return the configuration's file and PID, for messages ({@link ConfigKeys#source}) */
    public String source() {
        return source;
    }

    /** @return the bundle context given to {@link #activate} */
    public BundleContext context() {
        return context;
    }

    /** @return the error of a configuration the backend could not use while it is failed, else null */
    public String failure() {
        return registration.failure();
    }
}
