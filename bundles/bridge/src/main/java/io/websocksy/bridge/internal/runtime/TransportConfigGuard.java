package io.websocksy.bridge.internal.runtime;

import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.websocksy.bridge.internal.config.PropertyReader;

/**
 * Keeps a {@code websocksy.transport} configuration with an unknown key from taking effect. The transport
 * has no {@code @Modified} (new event loops need a restart of every listener), so a configuration change
 * reactivates it; a rejected configuration must then leave the previous one in force, which this class
 * remembers for the life of the bridge bundle. Before any configuration was accepted the built-in
 * defaults apply.
 */
final class TransportConfigGuard {
    private static final Logger LOG = LoggerFactory.getLogger(NettyRuntime.class);
    private static Map<String, Object> lastAccepted = Map.of(); // guarded by the class

    private TransportConfigGuard() {
    }

    /**
     * @param props the component properties SCR activates the transport with
     * @return them when every key is known; else, after one ERROR naming the file, the key and the closest
     *     known key, the last accepted properties
     */
    static synchronized Map<String, Object> accept(Map<String, Object> props) {
        try {
            new PropertyReader(NettyRuntime.PID, props).checkKeys(NettyRuntime.RuntimeConfig.class);
        } catch (IllegalArgumentException e) {
            LOG.error("{}; {}", e.getMessage(), lastAccepted.isEmpty() ? "the transport runs with its defaults"
                    : "the previous transport configuration stays in force");
            return lastAccepted;
        }
        lastAccepted = new HashMap<>(props);
        return props;
    }
}
