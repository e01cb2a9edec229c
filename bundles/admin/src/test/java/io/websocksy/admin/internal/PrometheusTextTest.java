package io.websocksy.admin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.felix.hc.api.Result;
import org.junit.jupiter.api.Test;

import io.websocksy.api.admin.BridgeMetrics;

/** The text format as Prometheus parses it, and the fd thresholds. */
class PrometheusTextTest {
    private static BridgeMetrics.Histogram histogram(long each) {
        List<Long> c = new ArrayList<>();
        for (int i = 0; i < BridgeMetrics.DURATION_BUCKETS.size(); i++) {
            c.add(each * (i + 1));
        }
        return new BridgeMetrics.Histogram(c, each * (c.size() + 1), 0.25);
    }

    @Test
    void familiesSamplesAndHistogramsInTheExpositionFormat() {
        BridgeMetrics m = new BridgeMetrics(List.of(new BridgeMetrics.Listener("ma\"in", 2, 10, 8, Map.of(404, 1L),
                List.of(new BridgeMetrics.Close("1000", "client", 5)), 1234, 7, 4321, 9, histogram(1), histogram(0),
                histogram(2), 1, 2, 3)), List.of(new BridgeMetrics.Backend("be", 9, 1, 1)),
                List.of(new BridgeMetrics.Framer("auto", 9, 7, 0)));
        String t = new PrometheusText().bridge(m).toString();
        assertTrue(t.contains("# TYPE websocksy_connections_open gauge\nwebsocksy_connections_open{listener=\"ma\\\"in\"} 2\n"), t);
        assertTrue(t.contains("websocksy_handshakes_rejected_total{listener=\"ma\\\"in\",status=\"404\"} 1\n"), t);
        assertTrue(t.contains("websocksy_connections_closed_total{listener=\"ma\\\"in\",code=\"1000\",side=\"client\"} 5\n"), t);
        assertTrue(t.contains("websocksy_bytes_total{listener=\"ma\\\"in\",direction=\"to_peer\"} 1234\n"), t);
        assertTrue(t.contains("websocksy_handshake_duration_seconds_bucket{listener=\"ma\\\"in\",le=\"0.0001\"} 1\n"), t);
        assertTrue(t.contains("websocksy_handshake_duration_seconds_bucket{listener=\"ma\\\"in\",le=\"10\"} 16\n"), t);
        assertTrue(t.contains("websocksy_handshake_duration_seconds_bucket{listener=\"ma\\\"in\",le=\"+Inf\"} 17\n"), t);
        assertTrue(t.contains("websocksy_handshake_duration_seconds_sum{listener=\"ma\\\"in\"} 0.25\n"), t);
        assertTrue(t.contains("websocksy_handshake_duration_seconds_count{listener=\"ma\\\"in\"} 17\n"), t);
        assertTrue(t.contains("websocksy_backend_not_found_total{backend=\"be\"} 1\n"), t);
        assertTrue(t.contains("websocksy_framer_messages_total{framer=\"auto\",direction=\"to_peer\"} 7\n"), t);
        // every non-comment line is name{labels} value
        for (String line : t.split("\n")) {
            if (!line.startsWith("#")) {
                assertTrue(line.matches("[a-z_]+(\\{[a-z_]+=\"([^\"\\\\]|\\\\.)*\"(,[a-z_]+=\"([^\"\\\\]|\\\\.)*\")*\\})? \\S+"), line);
            }
        }
    }

    @Test
    void labelValuesAndNumbersAreEscaped() {
        assertEquals("a\\\\b\\\"c\\nd", PrometheusText.escape("a\\b\"c\nd"));
        assertEquals("3", PrometheusText.number(3.0));
        assertEquals("0.5", PrometheusText.number(0.5));
        assertEquals("+Inf", PrometheusText.number(Double.POSITIVE_INFINITY));
        assertEquals("NaN", PrometheusText.number(Double.NaN));
    }

    @Test
    void processFamiliesArePresent() {
        PrometheusText t = new PrometheusText();
        ProcessMetrics.write(t);
        String s = t.toString();
        for (String f : new String[] {"jvm_memory_used_bytes", "jvm_gc_collection_seconds", "jvm_threads_current",
            "process_open_fds", "process_max_fds", "process_cpu_seconds_total"}) {
            assertTrue(s.contains("# TYPE " + f + " "), s);
        }
        assertTrue(ProcessMetrics.openFds() > 0, "open fds read from the OperatingSystem MBean on Linux");
    }

    @Test
    void fdHeadroomWarnsAbove80AndFailsAbove95Percent() {
        assertEquals(Result.Status.OK, FdHeadroomCheck.check(800, 1000).getStatus());
        assertEquals(Result.Status.WARN, FdHeadroomCheck.check(801, 1000).getStatus());
        assertEquals(Result.Status.CRITICAL, FdHeadroomCheck.check(951, 1000).getStatus());
        assertEquals(Result.Status.OK, FdHeadroomCheck.check(-1, -1).getStatus());
    }

    @Test
    void healthJsonEscapesAndMapsStatus() {
        assertEquals("\"a\\\"b\\n\"", HealthServlet.str("a\"b\n"));
        assertTrue(HealthServlet.healthy(Result.Status.WARN));
        assertTrue(!HealthServlet.healthy(Result.Status.CRITICAL));
        assertTrue(!HealthServlet.healthy(Result.Status.TEMPORARILY_UNAVAILABLE));
        assertEquals("listener taken: cannot listen on 127.0.0.1 port 1: Address already in use",
                ListenersBoundCheck.firstLine("java.lang.IllegalStateException: listener taken: cannot listen on "
                        + "127.0.0.1 port 1: Address already in use\n\tat x.y(Z.java:1)\n"));
        assertEquals("main", ListenersBoundCheck.nameOf("websocksy.listener~main"));
    }
}
