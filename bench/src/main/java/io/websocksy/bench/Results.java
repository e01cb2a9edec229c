package io.websocksy.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything one run measured, in the order it was measured; rendered by {@link Report}. */
final class Results {
    /** Throughput of one case on one transport, per target (direct, relay, bridge). */
    record TpCase(Net.Kind transport, int connections, boolean echo, Map<String, Scenarios.Throughput> byTarget) {
        String label() {
            return (echo ? "echo" : "one way (peer to client)") + ", " + connections + " conn";
        }
    }

    /** Latency on one transport, per target. */
    record LatCase(Net.Kind transport, Map<String, Scenarios.Latency> byTarget) {
    }

    /** Churn on one transport, per target. */
    /**
     * @param target bridge (uncompressed) or bridge-deflate
     * @param wireBytes bytes the client read from the socket during the whole case (warm-up included)
     * @param payloadBytes payload bytes the client received in the same time
     */
    record DeflateRow(Net.Kind transport, int connections, String target, Scenarios.Throughput tp, long wireBytes,
            long payloadBytes) {
    }

    record ChurnCase(Net.Kind transport, Map<String, Scenarios.Churn> byTarget) {
    }

    /** Idle connections held by one server process (bridge or relay). */
    record Scale(String target, int requested, int opened, int failed, int held, long heapBefore, long heapAfter,
            long rssBefore, long rssAfter, long fdsAfter, Scenarios.Latency canaryIdle, Scenarios.Latency canaryLoaded,
            double openSeconds) {
        double heapPerConn() {
            return opened == 0 ? Double.NaN : (double) (heapAfter - heapBefore) / opened;
        }

        double rssPerConn() {
            return opened == 0 ? Double.NaN : (double) (rssAfter - rssBefore) / opened;
        }
    }

    final Map<String, Object> environment = new LinkedHashMap<>();
    final Map<String, String> deployFiles = new LinkedHashMap<>();
    /** wss targets: certificate, client, negotiated sessions and the runtime's provider log lines. */
    final Map<String, String> tls = new LinkedHashMap<>();
    final List<TpCase> throughput = new ArrayList<>();
    /** Compressed text echo (issue 18): the bridge with and without permessage-deflate on the same text. */
    final List<DeflateRow> deflate = new ArrayList<>();
    final List<LatCase> latency = new ArrayList<>();
    final List<ChurnCase> churn = new ArrayList<>();
    final List<Scale> scale = new ArrayList<>();
    final List<Double> coldBridgeMs = new ArrayList<>();
    final List<Double> coldRelayMs = new ArrayList<>();
    final List<JmhSuite.Figure> jmh = new ArrayList<>();
    final Map<String, Double> framerMessagesPerOp = new LinkedHashMap<>();
    final Map<String, JfrSummary> profiles = new LinkedHashMap<>();
    final List<String> problems = new ArrayList<>();
    double wallSeconds;
}
