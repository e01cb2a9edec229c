package io.websocksy.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.websocksy.api.admin.BridgeAdmin;

class WebsocksyPluginTest {
    final List<String> calls = new ArrayList<>();
    final BridgeAdmin admin = (BridgeAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {BridgeAdmin.class}, (p, m, a) -> {
                switch (m.getName()) {
                    case "close":
                        calls.add("close " + a[0] + " " + a[1] + " " + a[2]);
                        return (Long) a[0] == 7L;
                    case "drain":
                        calls.add("drain " + a[0] + " " + a[1]);
                        return io.websocksy.api.admin.ListenerInfo.named((String) a[0]).address("127.0.0.1:1")
                                .backend("main", true).state(io.websocksy.api.admin.ListenerInfo.State.DRAINING).build();
                    case "resume":
                        calls.add("resume " + a[0]);
                        throw new IllegalStateException("listener " + a[0] + " is not draining");
                    case "dryRun": {
                        io.websocksy.api.admin.DryRunRequest r = (io.websocksy.api.admin.DryRunRequest) a[0];
                        calls.add("dryRun " + r.listener().orElse("-") + " " + r.target() + " " + r.subprotocols()
                                + " " + r.headers());
                        return java.util.concurrent.CompletableFuture.completedFuture(
                                io.websocksy.api.admin.DryRunResult.failed(404, "no route for /nope", "main", "main", null));
                    }
                    default:
                        break;
                }
                throw new UnsupportedOperationException(m.getName());
            });
    final WebsocksyPlugin plugin = new WebsocksyPlugin(admin);

    Fakes.Response post(Map<String, String> headers, Map<String, String> params, Fakes.Session s) throws Exception {
        Fakes.Response r = new Fakes.Response();
        plugin.doPost(Fakes.request("POST", headers, params, s), r.proxy);
        return r;
    }

    @Test
    void closeNeedsTheSessionsTokenAndTheSameOrigin() throws Exception {
        Fakes.Session s = new Fakes.Session();
        s.attributes.put(ConsoleSecurityProvider.CSRF_ATTRIBUTE, "tok");
        Map<String, String> browser = Map.of("Host", "127.0.0.1:8091", "Origin", "http://127.0.0.1:8091");
        Map<String, String> close = Map.of("action", "close", "id", "7", "code", "1008", "reason", "bye", "token", "tok");

        assertEquals(403, post(browser, Map.of("action", "close", "id", "7", "code", "1008"), s).status);
        assertEquals(403, post(browser, Map.of("action", "close", "id", "7", "code", "1008", "token", "tok2"), s).status);
        assertEquals(403, post(browser, close, null).status, "no session, no token");
        assertEquals(403, post(Map.of("Host", "127.0.0.1:8091", "Origin", "http://evil.example"), close, s).status);
        assertTrue(calls.isEmpty(), calls.toString());

        Fakes.Response ok = post(browser, close, s);
        assertEquals(303, ok.status);
        assertEquals("/system/console/websocksy", ok.headers.get("Location"));
        assertEquals(List.of("close 7 1008 bye"), calls);
        assertEquals(new Page.Flash(true, "connection #7 closed with 1008"), s.attributes.get(WebsocksyPlugin.FLASH));

        Fakes.Response gone = post(browser, Map.of("action", "close", "id", "8", "code", "1001", "token", "tok"), s);
        assertEquals(303, gone.status);
        assertEquals(new Page.Flash(false, "no live connection #8"), s.attributes.get(WebsocksyPlugin.FLASH));
        post(browser, Map.of("action", "close", "id", "x", "code", "1001", "token", "tok"), s);
        assertEquals(new Page.Flash(false, "connection id 'x' is not a number"), s.attributes.get(WebsocksyPlugin.FLASH));
    }

    @Test
    void drainResumeAndDryRunGoThroughBridgeAdminAndReportTheOutcome() throws Exception {
        Fakes.Session s = new Fakes.Session();
        s.attributes.put(ConsoleSecurityProvider.CSRF_ATTRIBUTE, "tok");
        Map<String, String> browser = Map.of("Host", "127.0.0.1:8091", "Sec-Fetch-Site", "same-origin");
        assertEquals(303, post(browser, Map.of("action", "drain", "listener", "main", "timeout", "5", "token", "tok"), s).status);
        assertEquals(new Page.Flash(true, "listener main draining"), s.attributes.get(WebsocksyPlugin.FLASH));
        post(browser, Map.of("action", "resume", "listener", "main", "token", "tok"), s);
        assertEquals(new Page.Flash(false, "listener main is not draining"), s.attributes.get(WebsocksyPlugin.FLASH));
        post(browser, Map.of("action", "dryrun", "listener", "main", "target", "/nope", "subprotocols", "a, b",
                "headers", "X-Token: 1\r\nX-Other: two", "token", "tok"), s);
        assertEquals(new Page.Flash(false, "dry run: 404 no route for /nope (backend main)"),
                s.attributes.get(WebsocksyPlugin.FLASH));
        post(browser, Map.of("action", "dryrun", "target", "no-slash", "token", "tok"), s);
        assertEquals(new Page.Flash(false, "path must start with '/', got 'no-slash'"), s.attributes.get(WebsocksyPlugin.FLASH));
        post(browser, Map.of("action", "explode", "token", "tok"), s);
        assertEquals(new Page.Flash(false, "unknown action 'explode'"), s.attributes.get(WebsocksyPlugin.FLASH));
        assertEquals(List.of("drain main PT5S", "resume main", "dryRun main /nope [a, b] [X-Token=1, X-Other=two]"), calls);
    }
}
