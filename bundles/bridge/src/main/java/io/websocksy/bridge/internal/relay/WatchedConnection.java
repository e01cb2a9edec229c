package io.websocksy.bridge.internal.relay;

import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.websocksy.api.backend.BridgedConnection;
import io.websocksy.api.backend.RouteWatch;

/**
 * A bridged connection as a backend's {@link RouteWatch} sees it (API 1.1): {@code opened} once the
 * {@code 101} is written, {@code ended} exactly once when the client channel is gone, and
 * {@link #close(int, String)} through the same server-side close as the shell's {@code close}.
 */
public final class WatchedConnection implements BridgedConnection {
    private static final Logger LOG = LoggerFactory.getLogger(WatchedConnection.class);

    private final Connection conn;
    private final RouteWatch watch;
    private final AtomicBoolean ended = new AtomicBoolean();

    private WatchedConnection(Connection conn, RouteWatch watch) {
        this.conn = conn;
        this.watch = watch;
    }

    /** Tells the route's watch, if any, that {@code conn} is bridged, and arranges its single {@code ended}. */
    public static void opened(Connection conn) {
        RouteWatch w = conn.route().watch().orElse(null);
        if (w == null) {
            return;
        }
        WatchedConnection wc = new WatchedConnection(conn, w);
        try {
            w.opened(wc);
        } catch (RuntimeException e) {
            LOG.warn("#{} route watch {} failed in opened(): {}", conn.id(), w.getClass().getName(), e.toString());
        }
        // registered after opened(): a connection that is already gone gets ended() at once, still after opened()
        conn.clientChannel().closeFuture().addListener(f -> wc.end());
    }

    private void end() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        try {
            watch.ended(this);
        } catch (RuntimeException e) {
            LOG.warn("#{} route watch {} failed in ended(): {}", conn.id(), watch.getClass().getName(), e.toString());
        }
    }

    /** @return whether a backend may send {@code code} (BridgedConnection#close) */
    public static boolean sendable(int code) {
        return code == 1000 || code == 1001 || code == 1008 || (code >= 3000 && code <= 4999);
    }

    @Override
    public long id() {
        return conn.id();
    }

    @Override
    public String listener() {
        return conn.listener();
    }

    @Override
    public void close(int code, String reason) {
        if (!sendable(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent: use 1000, 1001, 1008 or 3000-4999");
        }
        if (ended.get()) {
            return;
        }
        conn.close(code, reason == null ? "" : reason);
    }

    @Override
    public String toString() {
        return "#" + conn.id() + " on " + conn.listener();
    }
}
