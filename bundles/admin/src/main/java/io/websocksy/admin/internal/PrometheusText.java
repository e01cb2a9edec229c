package io.websocksy.admin.internal;

import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import io.websocksy.api.admin.BridgeMetrics;

/**
 * Writes the Prometheus text exposition format 0.0.4: one {@code # HELP} and {@code # TYPE} line per
 * metric family, then its samples; label values escaped (backslash, double quote, newline). Hand-written
 * (about a hundred lines) rather than the Prometheus Java client: the bridge already keeps the counters,
 * so only the rendering is needed, and the client's OSGi set is nine bundles (three of them OpenTelemetry
 * tracer bundles needed only to avoid a NoClassDefFoundError on the first increment).
 */
final class PrometheusText {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(8192);

    @Override
    public String toString() {
        return out.toString();
    }

    PrometheusText family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n"))
                .append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** @param labels name, value, name, value... */
    PrometheusText sample(String name, double value, String... labels) {
        out.append(name);
        if (labels.length > 0) {
            out.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels[i]).append("=\"").append(escape(labels[i + 1])).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(number(value)).append('\n');
        return this;
    }

    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        // plain decimal ("0.0001", not "1.0E-4"): bucket bounds are label values and must read the same everywhere
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** A counter or gauge family with one sample per listener. */
    private void perListener(List<BridgeMetrics.Listener> ls, String name, String type, String help,
            ToLongFunction<BridgeMetrics.Listener> f) {
        family(name, type, help);
        for (BridgeMetrics.Listener l : ls) {
            sample(name, f.applyAsLong(l), "listener", l.name());
        }
    }

    private void histogram(List<BridgeMetrics.Listener> ls, String name, String help,
            Function<BridgeMetrics.Listener, BridgeMetrics.Histogram> f) {
        family(name, "histogram", help);
        for (BridgeMetrics.Listener l : ls) {
            BridgeMetrics.Histogram h = f.apply(l);
            for (int i = 0; i < BridgeMetrics.DURATION_BUCKETS.size(); i++) {
                sample(name + "_bucket", h.cumulativeCounts().get(i), "listener", l.name(), "le",
                        number(BridgeMetrics.DURATION_BUCKETS.get(i)));
            }
            sample(name + "_bucket", h.count(), "listener", l.name(), "le", "+Inf");
            sample(name + "_sum", h.sumSeconds(), "listener", l.name());
            sample(name + "_count", h.count(), "listener", l.name());
        }
    }

    /** Every websocksy_* family of a bridge snapshot. */
    PrometheusText bridge(BridgeMetrics m) {
        List<BridgeMetrics.Listener> ls = m.listeners();
        perListener(ls, "websocksy_connections_open", "gauge", "Upgraded WebSocket connections not yet closed.",
                BridgeMetrics.Listener::open);
        perListener(ls, "websocksy_connections_accepted_total", "counter", "TCP connections accepted.",
                BridgeMetrics.Listener::accepted);
        perListener(ls, "websocksy_connections_upgraded_total", "counter", "Handshakes answered with 101.",
                BridgeMetrics.Listener::upgraded);
        family("websocksy_handshakes_rejected_total", "counter", "Handshakes answered with an HTTP error, by status.");
        for (BridgeMetrics.Listener l : ls) {
            l.rejectedByStatus().forEach((status, n) -> sample("websocksy_handshakes_rejected_total", n,
                    "listener", l.name(), "status", Integer.toString(status)));
        }
        family("websocksy_connections_closed_total", "counter",
                "Closed connections by close code and by the side that began the close (client, peer, bridge).");
        for (BridgeMetrics.Listener l : ls) {
            for (BridgeMetrics.Close c : l.closes()) {
                sample("websocksy_connections_closed_total", c.count(), "listener", l.name(), "code", c.code(),
                        "side", c.side());
            }
        }
        family("websocksy_bytes_total", "counter", "Message payload bytes forwarded, by direction.");
        for (BridgeMetrics.Listener l : ls) {
            sample("websocksy_bytes_total", l.bytesToPeer(), "listener", l.name(), "direction", "to_peer");
            sample("websocksy_bytes_total", l.bytesToClient(), "listener", l.name(), "direction", "to_client");
        }
        family("websocksy_messages_total", "counter", "Messages forwarded, by direction.");
        for (BridgeMetrics.Listener l : ls) {
            sample("websocksy_messages_total", l.messagesToPeer(), "listener", l.name(), "direction", "to_peer");
            sample("websocksy_messages_total", l.messagesToClient(), "listener", l.name(), "direction", "to_client");
        }
        histogram(ls, "websocksy_handshake_duration_seconds", "From TCP accept to the 101 or the error answer.",
                BridgeMetrics.Listener::handshake);
        histogram(ls, "websocksy_route_lookup_duration_seconds", "The backend's route look-up.",
                BridgeMetrics.Listener::routeLookup);
        histogram(ls, "websocksy_peer_connect_duration_seconds", "DNS and connect to the peer.",
                BridgeMetrics.Listener::peerConnect);
        perListener(ls, "websocksy_ping_timeouts_total", "counter", "Connections closed because a ping went unanswered.",
                BridgeMetrics.Listener::pingTimeouts);
        perListener(ls, "websocksy_write_stall_closes_total", "counter",
                "Connections closed because a side stayed unwritable for write-timeout.",
                BridgeMetrics.Listener::writeStallCloses);
        perListener(ls, "websocksy_tls_handshake_failures_total", "counter", "TLS handshakes that failed.",
                BridgeMetrics.Listener::tlsHandshakeFailures);

        family("websocksy_backend_lookups_total", "counter", "Route look-ups asked of a backend (any outcome).");
        m.backends().forEach(b -> sample("websocksy_backend_lookups_total", b.lookups(), "backend", b.name()));
        family("websocksy_backend_errors_total", "counter", "Route look-ups that failed (exception, timeout, 5xx).");
        m.backends().forEach(b -> sample("websocksy_backend_errors_total", b.errors(), "backend", b.name()));
        family("websocksy_backend_not_found_total", "counter", "Route look-ups answered with no route (404).");
        m.backends().forEach(b -> sample("websocksy_backend_not_found_total", b.notFound(), "backend", b.name()));

        family("websocksy_framer_messages_total", "counter", "Messages carried by connections using a framer.");
        for (BridgeMetrics.Framer f : m.framers()) {
            sample("websocksy_framer_messages_total", f.messagesToClient(), "framer", f.name(), "direction", "to_client");
            sample("websocksy_framer_messages_total", f.messagesToPeer(), "framer", f.name(), "direction", "to_peer");
        }
        family("websocksy_framer_errors_total", "counter", "Connections closed because the framer failed.");
        m.framers().forEach(f -> sample("websocksy_framer_errors_total", f.errors(), "framer", f.name()));
        return this;
    }
}
