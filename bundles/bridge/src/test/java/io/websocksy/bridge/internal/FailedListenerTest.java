package io.websocksy.bridge.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.websocksy.api.admin.ListenerInfo;
import io.websocksy.bridge.internal.admin.Admin;

/** A listener whose configuration cannot serve activates failed, is listed so, and a good update starts it. */
class FailedListenerTest {
    private static Map<String, Object> props(String... kv) {
        Map<String, Object> p = new HashMap<>();
        p.put("service.pid", "websocksy.listener~test");
        p.put("felix.fileinstall.filename", "file:/etc/websocksy/deploy/websocksy.listener-test.cfg");
        p.put("listen", "127.0.0.1");
        p.put("port", "0");
        p.put("backend", "main");
        for (int i = 0; i < kv.length; i += 2) {
            p.put(kv[i], kv[i + 1]);
        }
        return p;
    }

    private static Admin admin(TestBridge b) throws Exception {
        Admin a = new Admin();
        // Admin's field, TestBridge's field
        for (String[] f : List.of(new String[] {"runtime", "transport"}, new String[] {"connections", "connections"},
                new String[] {"framers", "framers"}, new String[] {"backends", "backends"})) {
            Field field = Admin.class.getDeclaredField(f[0]);
            field.setAccessible(true);
            Field from = TestBridge.class.getDeclaredField(f[1]);
            field.set(a, from.get(b));
        }
        a.addListener(b.listener);
        return a;
    }

    @Test
    void badValueAtActivationIsFailedAndAGoodUpdateStartsIt() throws Exception {
        try (TestBridge b = new TestBridge(Map.of("ping", "-1",
                "felix.fileinstall.filename", "file:/etc/websocksy/deploy/websocksy.listener-test.cfg"))) {
            assertNull(b.listener.boundAddress());
            Admin a = admin(b);
            ListenerInfo info = a.listeners().get(0);
            assertEquals(ListenerInfo.State.FAILED, info.state());
            assertEquals(Optional.of("/etc/websocksy/deploy/websocksy.listener-test.cfg (websocksy.listener~test): "
                    + "ping = '-1': out of range 0-86400"), info.failure());
            assertEquals("127.0.0.1:0", info.address());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.drain("test", java.time.Duration.ZERO));
            assertTrue(e.getMessage().startsWith("listener test is failed: "), e.getMessage());

            b.listener.modified(props("ping", "5"));
            assertTrue(b.port() > 0);
            assertEquals(ListenerInfo.State.LISTENING, a.listeners().get(0).state());
            assertEquals(Optional.empty(), a.listeners().get(0).failure());
        }
    }

    @Test
    void unknownKeyIsFailedWithTheSuggestion() throws Exception {
        try (TestBridge b = new TestBridge(Map.of("allowed-origin", "https://app.example.com"))) {
            assertNull(b.listener.boundAddress());
            assertEquals("websocksy.listener~test: allowed-origin = 'https://app.example.com': unknown key (did you "
                    + "mean 'allowed-origins'?)", b.listener.state().failure());
        }
    }

    @Test
    void unknownKeyOnARunningListenerKeepsThePreviousConfiguration() throws Exception {
        try (TestBridge b = new TestBridge(Map.of())) {
            int port = b.port();
            b.listener.modified(props("port", "0", "max-conections-per-ip", "1"));
            assertEquals(port, b.port());
            assertEquals(0, b.listener.settings().maxConnectionsPerIp);
            assertNull(b.listener.state().failure());
        }
    }

    @Test
    void portInUseIsFailedInWords() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            try (TestBridge b = new TestBridge(Map.of("port", String.valueOf(taken.getLocalPort())))) {
                assertNull(b.listener.boundAddress());
                assertEquals("websocksy.listener~test: cannot listen on 127.0.0.1 port " + taken.getLocalPort()
                        + ": address already in use", b.listener.state().failure());
            }
        }
    }
}
