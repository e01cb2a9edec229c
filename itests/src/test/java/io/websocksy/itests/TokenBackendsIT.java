package io.websocksy.itests;

import static io.websocksy.itests.support.WebsocksyOptions.tokenBackendBundles;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.Assume;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.websocksy.itests.support.Poll;
import io.websocksy.itests.support.RawHttp;
import io.websocksy.itests.support.RawHttp.Request;
import io.websocksy.testing.RedisServer;
import io.websocksy.itests.support.TcpPeer;
import io.websocksy.itests.support.WsClient;

/**
 * Issue 15 in the real runtime: the token-file, JWT and Redis backends as plugin bundles (importing only
 * the API and their own libraries), routing by a token, refusing with 403/404/500/503, and closing
 * connections with 1008 when a Redis token is deleted or a JWT expires.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TokenBackendsIT extends BridgeTestBase {
    private TcpPeer echo;

    @Override
    protected String[] framers() {
        return new String[] {"auto"};
    }

    @Override
    @Configuration
    public Option[] config() throws IOException {
        return OptionUtils.combine(super.config(), tokenBackendBundles());
    }

    @Before
    public void peer() throws IOException {
        echo = bridge.track(TcpPeer.echo());
    }

    private void echoes(int port, String path) throws Exception {
        WsClient c = WsClient.connect(port, path);
        try {
            c.sendText("hello " + path);
            assertEquals("hello " + path, c.nextMessage(Duration.ofSeconds(10)).string());
        } finally {
            c.close();
        }
    }

    private static int status(int port, String target) throws IOException {
        return RawHttp.exchange(port, Request.upgrade(port).target(target)).status;
    }

    private static void write(Path f, String text) throws IOException {
        Path tmp = f.resolveSibling("." + f.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    public void tokenFilesInADirectoryReloadedLive() throws Exception {
        Path dir = Files.createTempDirectory("websocksy-tokens");
        write(dir.resolve("vnc.conf"), "# websockify format\nalpha: 127.0.0.1:" + echo.port() + "\nbroken line\n");
        int port = bridge.listener(bridge.backend("websocksy.backend.token", "source", dir.toString()));
        echoes(port, "/?token=alpha");
        assertEquals(404, status(port, "/?token=beta"));
        assertEquals(403, status(port, "/"));
        write(dir.resolve("more.conf"), "beta: tcp://127.0.0.1:" + echo.port() + "\n");
        Poll.until(Duration.ofSeconds(15), "the new token file read", () -> {
            try {
                return status(port, "/?token=beta") == 101;
            } catch (IOException e) {
                return false;
            }
        });
        echoes(port, "/?token=beta");
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** HS256 made with javax.crypto only, independent of nimbus. */
    private static String hs256(byte[] secret, String claims) throws Exception {
        String input = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64(claims.getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * Issue 13, defect 2, for the token, JWT and Redis backends as for every websocksy configuration: a
     * misspelt key is an error naming the configuration, the key and the closest known key; the backend does
     * not start (no Backend service) and publishes the error as its failed health.
     */
    @Test
    public void misspeltKeysInTheTokenJwtAndRedisBackendsAreRejectedWithTheSuggestion() throws Exception {
        Path tokens = Files.createTempFile("websocksy-tokens", ".conf");
        write(tokens, "alpha: 127.0.0.1:" + echo.port() + "\n");
        String token = bridge.failedBackend("websocksy.backend.token", "source", tokens.toString(), "tokn", "header:X-Token");
        assertTrue(token, token.matches("websocksy\\.backend\\.token~bk\\d+: tokn = 'header:X-Token': unknown key "
                + "\\(did you mean 'token'\\?\\)"));
        Path key = Files.createTempFile("websocksy-jwt", ".key");
        Files.write(key, "it-secret-it-secret-it-secret-it-secret".getBytes(StandardCharsets.US_ASCII));
        String jwt = bridge.failedBackend("websocksy.backend.jwt", "key", key.toString(), "audiense", "app");
        assertTrue(jwt, jwt.endsWith(": audiense = 'app': unknown key (did you mean 'audience'?)"));
        String redis = bridge.failedBackend("websocksy.backend.redis", "uri", "redis://127.0.0.1:1/0", "key-prefx", "route:");
        assertTrue(redis, redis.endsWith(": key-prefx = 'route:': unknown key (did you mean 'key-prefix'?)"));
    }

    @Test
    public void signedTokensAndExpiryClose() throws Exception {
        byte[] secret = "it-secret-it-secret-it-secret-it-secret".getBytes(StandardCharsets.US_ASCII);
        Path key = Files.createTempFile("websocksy-jwt", ".key");
        Files.write(key, secret);
        int port = bridge.listener(bridge.backend("websocksy.backend.jwt", "key", key.toString(), "leeway", "0",
                "expiry", "close", "token", "cookie:jwt"));
        long now = System.currentTimeMillis() / 1000;
        String good = hs256(secret, "{\"host\":\"127.0.0.1\",\"port\":" + echo.port() + ",\"exp\":" + (now + 3600) + "}");
        RawHttp.Response r = RawHttp.exchange(port, Request.upgrade(port).add("Cookie", "jwt=" + good));
        assertEquals(101, r.status);
        String forged = hs256("another-secret-another-secret-another".getBytes(StandardCharsets.US_ASCII),
                "{\"host\":\"127.0.0.1\",\"port\":" + echo.port() + "}");
        assertEquals(403, RawHttp.exchange(port, Request.upgrade(port).add("Cookie", "jwt=" + forged)).status);
        assertEquals(403, RawHttp.exchange(port, Request.upgrade(port)).status);
        // exp in 3 s: served, then closed with 1008 when it passes
        String shortLived = hs256(secret, "{\"peer\":\"tcp://127.0.0.1:" + echo.port() + "\",\"exp\":" + (now + 3) + "}");
        java.net.http.WebSocket.Builder b = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Cookie", "jwt=" + shortLived);
        java.util.concurrent.CompletableFuture<Integer> closed = new java.util.concurrent.CompletableFuture<>();
        java.net.http.WebSocket ws = b.buildAsync(java.net.URI.create("ws://127.0.0.1:" + port + "/"),
                new java.net.http.WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket w, int code, String reason) {
                        closed.complete(code);
                        return null;
                    }
                }).get(15, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(Integer.valueOf(1008), closed.get(20, java.util.concurrent.TimeUnit.SECONDS));
        ws.abort();
    }

    @Test
    public void redisRoutesRevocationAndOutage() throws Exception {
        Assume.assumeTrue("redis-server not installed (apt-get install redis-server): skipped", RedisServer.available());
        RedisServer redis = bridge.track(new RedisServer().start());
        redis.cli("SET", "route:good", "{\"host\":\"127.0.0.1:" + echo.port() + "\"}");
        redis.cli("SET", "route:plain", "127.0.0.1:" + echo.port());
        redis.cli("SET", "route:bad", "{\"host\":");
        int port = bridge.listener(bridge.backend("websocksy.backend.redis", "uri", redis.uri(), "key-prefix", "route:",
                "timeout", "500"));
        Poll.until(Duration.ofSeconds(15), "the Redis backend connected", () -> {
            try {
                return status(port, "/?token=plain") == 101;
            } catch (IOException e) {
                return false;
            }
        });
        echoes(port, "/?token=good");
        assertEquals(404, status(port, "/?token=unknown"));
        assertEquals(500, status(port, "/?token=bad"));
        assertEquals(403, status(port, "/"));
        // revocation: DEL closes the connection with 1008 'token revoked' within 1 s
        WsClient c = WsClient.connect(port, "/?token=good");
        c.sendText("x");
        c.nextMessage(Duration.ofSeconds(10));
        Thread.sleep(300); // the connection is registered once its 101 is out
        long t0 = System.nanoTime();
        redis.cli("DEL", "route:good");
        Object e = c.next(Duration.ofSeconds(10));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue("expected a close, got " + e, e instanceof WsClient.Closed);
        assertEquals(1008, ((WsClient.Closed) e).code);
        assertEquals("token revoked", ((WsClient.Closed) e).reason);
        assertTrue("revoked after " + ms + " ms", ms < 1000);
        // Redis down: 503 within the timeout
        redis.stop();
        long t1 = System.nanoTime();
        assertEquals(503, status(port, "/?token=plain"));
        assertTrue("503 took " + (System.nanoTime() - t1) / 1_000_000 + " ms", System.nanoTime() - t1 < 3_000_000_000L);
    }

    /**
     * The default backend's peer-proxy-protocol through the runtime: the peer receives a PROXY v1 line with
     * the client's address before any data (the bridge's unit test ScaleOutTest parses v1 and v2 with
     * netty-codec-haproxy's decoder).
     */
    @Test
    public void defaultBackendSendsAProxyHeaderFirst() throws Exception {
        java.util.concurrent.BlockingQueue<String> headers = new java.util.concurrent.LinkedBlockingQueue<>();
        TcpPeer peer = bridge.track(new TcpPeer(sock -> {
            java.io.InputStream in = sock.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) >= 0 && c != '\n';) {
                line.append((char) c);
            }
            headers.add(line.toString().trim());
            TcpPeer.copyBack(sock);
        }));
        int port = bridge.listener(bridge.defaultBackend("tcp://127.0.0.1:" + peer.port(), "peer-proxy-protocol", "v1"));
        echoes(port, "/proxied");
        String h = headers.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue("PROXY header: " + h, h != null && h.matches("PROXY TCP4 127\\.0\\.0\\.1 127\\.0\\.0\\.1 \\d+ " + port));
    }
}
