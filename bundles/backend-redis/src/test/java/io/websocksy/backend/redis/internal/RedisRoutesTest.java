package io.websocksy.backend.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

import io.websocksy.api.backend.BridgedConnection;
import io.websocksy.api.backend.Route;
import io.websocksy.api.backend.RouteException;
import io.websocksy.api.token.FakeRequest;

/** Against a real redis-server started here (never a mock). */
class RedisRoutesTest extends RealRedis {
    private RedisRoutes routes(String prefix, int timeout) throws Exception {
        RedisSettings s = RedisSettings.parse("main", "redis://127.0.0.1:" + redis.port + "/0", prefix, null, timeout,
                null, null, null, "v1", true, null);
        routes = new RedisRoutes(s, "websocksy.backend.redis~test");
        routes.start();
        waitFor(routes::connected, 20);
        return routes;
    }

    static void waitFor(BooleanSupplier c, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + seconds + " s");
            }
            Thread.sleep(20);
        }
    }

    private Route route(String token) throws Exception {
        return routes.route(new FakeRequest().query("token", token)).toCompletableFuture().get(10, TimeUnit.SECONDS)
                .orElseThrow();
    }

    private RouteException refused(String token) {
        FakeRequest r = token == null ? new FakeRequest() : new FakeRequest().query("token", token);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> routes.route(r).toCompletableFuture().get(10, TimeUnit.SECONDS));
        Throwable c = e.getCause() instanceof java.util.concurrent.CompletionException ? e.getCause().getCause() : e.getCause();
        assertTrue(c instanceof RouteException, String.valueOf(c));
        if (token != null) {
            assertFalse(c.getMessage().contains(token), "token in the message: " + c.getMessage());
        }
        return (RouteException) c;
    }

    @Test
    void valuesInEveryFormAndTheStatuses() throws Exception {
        routes("route:", 1000);
        redis.cli("SET", "route:plain", "127.0.0.1:5900");
        redis.cli("SET", "route:websockify", "{\"host\": \"10.0.0.1:5901\"}");
        redis.cli("SET", "route:full", "{\"peer\":\"unix:///run/vnc.sock\",\"framing\":\"newline\",\"framing-config\":\"lf\",\"protocol\":\"mqtt\"}");
        redis.cli("SET", "route:broken-secret", "{\"host\": 5");
        assertEquals("tcp://127.0.0.1:5900", route("plain").peer().toString());
        assertEquals(io.websocksy.api.backend.PeerProxyProtocol.V1, route("plain").peerProxyProtocol());
        assertEquals("tcp://10.0.0.1:5901", route("websockify").peer().toString());
        Route full = routes.route(new FakeRequest().query("token", "full").protocols("mqtt")).toCompletableFuture().get()
                .orElseThrow();
        assertEquals("unix:///run/vnc.sock", full.peer().toString());
        assertEquals("newline", full.framer());
        assertEquals("lf", full.framerConfig());
        assertEquals("mqtt", full.subprotocol().orElseThrow());
        assertEquals(404, refused("missing").status());
        RouteException bad = refused("broken-secret");
        assertEquals(500, bad.status());
        assertTrue(bad.getMessage().contains("route:<sha256:"), bad.getMessage());
        assertEquals(403, refused(null).status());
    }

    /** Records what the bridge would do on close. */
    static final class Conn implements BridgedConnection {
        final CompletableFuture<String> closed = new CompletableFuture<>();

        @Override
        public long id() {
            return 1;
        }

        @Override
        public String listener() {
            return "main";
        }

        @Override
        public void close(int code, String reason) {
            closed.complete(code + " " + reason);
        }
    }

    @Test
    void deleteOrChangeRevokesWithin1s() throws Exception {
        routes("", 1000);
        waitFor(() -> {
            try {
                return RedisRoutes.missing(redis.cli("CONFIG", "GET", "notify-keyspace-events").split("\n")[1]).isEmpty();
            } catch (Exception e) {
                return false;
            }
        }, 10);
        redis.cli("SET", "tok-a", "127.0.0.1:1");
        redis.cli("SET", "tok-b", "127.0.0.1:2");
        Conn a = new Conn();
        Conn b = new Conn();
        Conn a2 = new Conn();
        route("tok-a").watch().orElseThrow().opened(a);
        route("tok-a").watch().orElseThrow().opened(a2);
        Route rb = route("tok-b");
        rb.watch().orElseThrow().opened(b);
        Thread.sleep(300); // the subscription is in place once connected; give the re-read of opened() its turn
        assertFalse(a.closed.isDone());
        long t0 = System.nanoTime();
        redis.cli("DEL", "tok-a");
        assertEquals("1008 token revoked", a.closed.get(5, TimeUnit.SECONDS));
        assertEquals("1008 token revoked", a2.closed.get(5, TimeUnit.SECONDS));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms < 1000, "revoked after " + ms + " ms");
        assertFalse(b.closed.isDone());
        redis.cli("EXPIRE", "tok-b", "100"); // a TTL is not a change
        Thread.sleep(300);
        assertFalse(b.closed.isDone());
        redis.cli("SET", "tok-b", "127.0.0.1:3");
        assertEquals("1008 token revoked", b.closed.get(5, TimeUnit.SECONDS));
        assertEquals(0, routes.watchedConnections());
    }

    @Test
    void endedConnectionsAreForgotten() throws Exception {
        routes("", 1000);
        redis.cli("SET", "t", "127.0.0.1:1");
        Conn c = new Conn();
        Route r = route("t");
        r.watch().orElseThrow().opened(c);
        waitFor(() -> routes.watchedConnections() == 1, 5);
        r.watch().orElseThrow().ended(c);
        assertEquals(0, routes.watchedConnections());
    }

    @Test
    void redisDown503WithinTimeoutThenResumesByItself() throws Exception {
        routes("", 500);
        redis.cli("SET", "tk-x9", "127.0.0.1:1");
        assertEquals(1, route("tk-x9").peer().port());
        redis.stop();
        long t0 = System.nanoTime();
        assertEquals(503, refused("tk-x9").status());
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms < 500 + 1500, "503 after " + ms + " ms");
        assertEquals(503, refused("tk-x9").status());
        redis.start(); // same port, empty (persistence off)
        redis.cli("SET", "tk-x9", "127.0.0.1:2");
        waitFor(() -> {
            try {
                return route("tk-x9").peer().port() == 2;
            } catch (Exception e) {
                return false;
            }
        }, 30);
    }

    @Test
    void deletedWhileDisconnectedRevokesAfterReconnect() throws Exception {
        routes("", 500);
        redis.cli("SET", "tk-x9", "127.0.0.1:1");
        Conn c = new Conn();
        route("tk-x9").watch().orElseThrow().opened(c);
        redis.stop();
        Thread.sleep(300);
        redis.start(); // comes back empty: the key is gone
        assertEquals("1008 token revoked", c.closed.get(30, TimeUnit.SECONDS));
    }

    @Test
    void settings() {
        assertThrows(IllegalArgumentException.class, () -> RedisSettings.parse(null, "http://x", null, null, 1000, null,
                null, null, null, true, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedisSettings.parse(null,
                "redis://user:pw@h:1/0", null, "bad", 1000, null, null, null, null, true, null));
        assertTrue(e.getMessage().startsWith("token = 'bad'"), e.getMessage());
        assertEquals("redis://user:***@h:1/0", RedisSettings.redact("redis://user:pw@h:1/0"));
        assertEquals("route\\*:", RedisRoutes.glob("route*:"));
        assertEquals("", RedisRoutes.missing("KEA"));
        assertEquals("Kg$xe", RedisRoutes.missing(""));
        assertEquals("xe", RedisRoutes.missing("Kg$"));
        assertNull(null);
    }

    @Test
    void routeValueFormats() {
        assertEquals("tcp://[::1]:80", RouteValue.parse("{\"host\":\"::1\",\"port\":80}").peer.toString());
        for (String bad : List.of("{", "{\"peer\":1}x", "{\"nope\":\"1\"}", "{}", "127.0.0.1", "{\"host\":{}}")) {
            assertThrows(IllegalArgumentException.class, () -> RouteValue.parse(bad), bad);
        }
        assertEquals(Optional.of("a\"b"), Optional.of(FlatJson.parse("{\"k\":\"a\\\"b\"}").get("k")));
    }
}
