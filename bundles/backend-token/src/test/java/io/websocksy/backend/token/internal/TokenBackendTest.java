package io.websocksy.backend.token.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.websocksy.api.backend.PeerProxyProtocol;
import io.websocksy.api.backend.Route;
import io.websocksy.api.backend.RouteException;
import io.websocksy.api.token.FakeRequest;

/** The component's look-up with hand-set settings (no OSGi). */
class TokenBackendTest {
    @TempDir
    Path dir;

    private TokenBackendComponent backend(String token, String protocol) throws Exception {
        Files.writeString(dir.resolve("t.conf"), "abc: 127.0.0.1:5900\nk8s: unix:///run/x.sock\n");
        TokenSettings s = TokenSettings.parse(null, dir.toString(), token, "binary", "", protocol, "v2", "vnc");
        TokenBackendComponent c = new TokenBackendComponent();
        TokenTable t = new TokenTable(s.source, m -> { });
        t.refresh();
        set(c, "settings", s);
        set(c, "table", t);
        return c;
    }

    private static void set(Object o, String f, Object v) throws Exception {
        Field x = o.getClass().getDeclaredField(f);
        x.setAccessible(true);
        x.set(o, v);
    }

    private static int status(java.util.concurrent.CompletionStage<Optional<Route>> st) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> st.toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof RouteException, String.valueOf(e.getCause()));
        return ((RouteException) e.getCause()).status();
    }

    @Test
    void knownUnknownAndMissingTokens() throws Exception {
        TokenBackendComponent c = backend(null, "");
        Route r = c.route(new FakeRequest().query("token", "abc")).toCompletableFuture().get().orElseThrow();
        assertEquals("tcp://127.0.0.1:5900", r.peer().toString());
        assertEquals("binary", r.framer());
        assertEquals(PeerProxyProtocol.V2, r.peerProxyProtocol());
        assertEquals(404, status(c.route(new FakeRequest().query("token", "nope"))));
        assertEquals(403, status(c.route(new FakeRequest())));
        java.util.concurrent.CompletionStage<Optional<Route>> st = c.route(new FakeRequest().query("token", "secret"));
        ExecutionException e = assertThrows(ExecutionException.class, () -> st.toCompletableFuture().get());
        assertTrue(!e.getCause().getMessage().contains("secret"), e.getCause().getMessage());
    }

    @Test
    void protocolSourceNeverChosenAsSubprotocol() throws Exception {
        TokenBackendComponent c = backend("protocol:bearer.", "*");
        Route r = c.route(new FakeRequest().protocols("bearer.k8s", "rfb")).toCompletableFuture().get().orElseThrow();
        assertEquals("unix:///run/x.sock", r.peer().toString());
        assertEquals("rfb", r.subprotocol().orElseThrow());
        assertEquals(PeerProxyProtocol.V2, r.peerProxyProtocol());
    }

    @Test
    void badSettingsNameTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokenSettings.parse(null, "", null, null, null, null, null, "x"));
        assertTrue(e.getMessage().startsWith("source = "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TokenSettings.parse(null, "/tmp", "form:x", null, null, null, null, "x"));
        assertTrue(e.getMessage().startsWith("token = 'form:x'"), e.getMessage());
    }
}
