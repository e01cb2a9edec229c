package io.websocksy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Assume;
import org.junit.Test;

import io.websocksy.itests.support.Poll;
import io.websocksy.itests.support.Ports;
import io.websocksy.itests.support.TcpPeer;
import io.websocksy.itests.support.Websocksy;
import io.websocksy.testing.RedisServer;

/**
 * Issue 15's cluster: a real redis-server and haproxy (Debian packages), two assembled runtimes (copies of
 * runtime/target/websocksy) as separate processes, haproxy in mode tcp with send-proxy-v2 and option httpchk
 * on the listeners' health-path, routes in Redis. 100 clients echo through haproxy; a token deleted in Redis
 * closes its connection within 1 s on whichever instance holds it; kill -9 of one runtime: its clients
 * reconnect and are served by the other within 3 s and nothing else fails; a rolling restart (SIGTERM,
 * start again, then the other) under a steady stream of new connections fails no handshake. The figures
 * are printed (failsafe output) as "cluster: ...".
 */
public class ClusterIT {
    static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
    static final int CLIENTS = 100;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();
    private RedisServer redis;
    private TcpPeer echo;
    private Process haproxy;
    private int front;
    private int stats;
    private final Node[] nodes = new Node[2];
    private final HttpClient http = HttpClient.newHttpClient();

    /** One runtime: its own copy of the distribution, port and process. */
    final class Node {
        final String name;
        final Path home;
        final int port;
        Websocksy process;

        Node(String name, Path home, int port) {
            this.name = name;
            this.home = home;
            this.port = port;
        }

        void start() throws IOException {
            Path work = Files.createDirectories(home.resolve("work-" + System.nanoTime()));
            ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/websocksy").toString());
            pb.environment().put("WEBSOCKSY_DEPLOY", home.resolve("deploy").toString());
            pb.environment().put("WEBSOCKSY_OPTS", "-Xmx256m");
            pb.redirectErrorStream(true);
            pb.redirectOutput(work.resolve("websocksy.log").toFile());
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            proc = pb.start();
            log = work.resolve("websocksy.log");
            Poll.until(Duration.ofSeconds(60), name + " listening", () -> Ports.accepts(port) && logText().contains("revocation: listening"));
        }

        Process proc;
        Path log;

        String logText() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return "";
            }
        }
    }

    private static void write(Path dir, String name, String text) throws IOException {
        Path tmp = dir.resolve("." + name + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private Node node(String name) throws IOException {
        Path home = Files.createTempDirectory("websocksy-cluster-" + name);
        dirs.add(home);
        copyTree(Websocksy.home(), home);
        Path deploy = home.resolve("deploy");
        Files.deleteIfExists(deploy.resolve("websocksy.listener-main.cfg"));
        Files.deleteIfExists(deploy.resolve("websocksy.backend.default-main.cfg"));
        // the distribution's default listener and backend are in etc/ (since the install layout), not only deploy/
        Files.deleteIfExists(home.resolve("etc/websocksy.listener-main.cfg"));
        Files.deleteIfExists(home.resolve("etc/websocksy.backend.default-main.cfg"));
        int port = Ports.freePort();
        write(deploy, "websocksy.transport.cfg", "drain-delay = 3\ndrain-timeout = 2\n");
        write(deploy, "websocksy.listener-main.cfg", "listen = 127.0.0.1\nport = " + port + "\nbackend = main\nping = 0\n"
                + "trusted-proxies = 127.0.0.1\nproxy-protocol = v2\nhealth-path = /healthz\n");
        write(deploy, "websocksy.backend.redis-main.cfg", "uri = " + redis.uri() + "\nkey-prefix = route:\ntimeout = 1000\n");
        return new Node(name, home, port);
    }

    private void startHaproxy() throws Exception {
        front = Ports.freePort();
        stats = Ports.freePort();
        Path dir = Files.createTempDirectory("websocksy-cluster-haproxy");
        dirs.add(dir);
        String cfg = "global\n  maxconn 4096\n\n"
                + "defaults\n  mode tcp\n  timeout connect 2s\n  timeout client 1h\n  timeout server 1h\n"
                + "  timeout tunnel 1h\n  timeout check 2s\n  retries 3\n  option redispatch 1\n\n"
                + "frontend ws\n  bind 127.0.0.1:" + front + "\n  default_backend bridges\n\n"
                + "backend bridges\n  balance roundrobin\n  option httpchk\n"
                + "  http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host websocksy\n"
                + "  http-check expect status 200\n"
                + "  default-server check inter 500ms fall 2 rise 2 send-proxy-v2 check-send-proxy\n"
                + "  server a 127.0.0.1:" + nodes[0].port + "\n"
                + "  server b 127.0.0.1:" + nodes[1].port + "\n\n"
                + "listen stats\n  mode http\n  bind 127.0.0.1:" + stats + "\n  stats enable\n  stats uri /stats\n";
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, cfg);
        haproxy = new ProcessBuilder(HAPROXY.toString(), "-db", "-f", file.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        Poll.until(Duration.ofSeconds(20), "haproxy listening", () -> Ports.accepts(front));
    }

    /** @return haproxy's view of server a or b: UP, DOWN, ... */
    private String status(String server) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stats + "/stats;csv"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            for (String line : r.body().split("\n")) {
                String[] f = line.split(",");
                if (f.length > 17 && f[0].equals("bridges") && f[1].equals(server)) {
                    return f[17];
                }
            }
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "?";
    }

    private void awaitUp(String server) {
        Poll.until(Duration.ofSeconds(30), "haproxy sees " + server + " UP", () -> status(server).startsWith("UP"));
    }

    /** One client: a WebSocket through haproxy with its token, echoing. */
    final class Client implements WebSocket.Listener {
        final String token;
        volatile WebSocket ws;
        final LinkedBlockingQueue<String> inbox = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();

        Client(String token) {
            this.token = token;
        }

        Client open() throws Exception {
            ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create("ws://127.0.0.1:" + front + "/?token=" + token), this).get(10, TimeUnit.SECONDS);
            return this;
        }

        boolean echoes(String m) throws Exception {
            ws.sendText(m, true).get(5, TimeUnit.SECONDS);
            return m.equals(inbox.poll(5, TimeUnit.SECONDS));
        }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                inbox.add(text.toString());
                text.setLength(0);
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
            closed.complete(code + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
            closed.complete("error " + error);
        }
    }

    @Test
    public void failoverRevocationAndRollingRestart() throws Exception {
        Assume.assumeTrue("redis-server not installed (apt-get install redis-server): skipped", RedisServer.available());
        Assume.assumeTrue("haproxy not installed (apt-get install haproxy): skipped", Files.isExecutable(HAPROXY));
        redis = new RedisServer().start();
        resources.add(redis);
        echo = TcpPeer.echo();
        resources.add(echo);
        List<String> mset = new ArrayList<>(List.of("MSET"));
        for (int i = 0; i < CLIENTS + 1; i++) {
            mset.add("route:tok-" + i);
            mset.add("{\"host\":\"127.0.0.1:" + echo.port() + "\"}");
        }
        redis.cli(mset.toArray(new String[0]));
        nodes[0] = node("a");
        nodes[1] = node("b");
        nodes[0].start();
        nodes[1].start();
        startHaproxy();
        awaitUp("a");
        awaitUp("b");

        // 100 clients echo through haproxy
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(new Client("tok-" + i).open());
        }
        for (Client c : clients) {
            assertTrue("echo of " + c.token, c.echoes("hi " + c.token));
        }
        assertTrue("both runtimes serve: " + countOpen(nodes[0]) + "/" + countOpen(nodes[1]),
                countOpen(nodes[0]) > 0 && countOpen(nodes[1]) > 0);

        // revocation: two tokens (round robin put them on different runtimes) deleted in Redis
        long worstRevokeMs = 0;
        for (Client c : clients.subList(0, 2)) {
            long t0 = System.nanoTime();
            redis.cli("DEL", "route:" + c.token);
            String why = c.closed.get(10, TimeUnit.SECONDS);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals("1008 token revoked", why);
            worstRevokeMs = Math.max(worstRevokeMs, ms);
        }
        assertTrue("revocation took " + worstRevokeMs + " ms", worstRevokeMs < 1000);
        List<Client> live = new java.util.concurrent.CopyOnWriteArrayList<>(clients.subList(2, CLIENTS));

        // kill -9 runtime a: its clients are closed, reconnect through haproxy and are served by b within 3 s
        long killedAt = System.nanoTime();
        nodes[0].proc.destroyForcibly();
        nodes[0].proc.waitFor(20, TimeUnit.SECONDS);
        Poll.until(Duration.ofSeconds(10), "a's clients closed", () -> live.stream().filter(c -> c.closed.isDone()).count() > 0);
        long worstReconnectMs = 0;
        // every client at once, as real clients each run on their own: a client of a learns of the kill from its
        // socket (closed within a second) and reconnects at once, then every 50 ms (noVNC's, MQTT.js's loop);
        // a client of b must keep echoing. Checked in parallel, so that one client's echo wait never delays
        // another client's reconnect.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(live.size());
        List<java.util.concurrent.Future<Long>> outcomes = new ArrayList<>();
        for (int i = 0; i < live.size(); i++) {
            Client c = live.get(i);
            int index = i;
            outcomes.add(pool.submit(() -> {
                boolean closed;
                try {
                    c.closed.get(1, TimeUnit.SECONDS);
                    closed = true;
                } catch (java.util.concurrent.TimeoutException stillOpen) {
                    closed = false;
                }
                if (!closed) {
                    boolean echoed;
                    try {
                        echoed = c.echoes("still " + c.token);
                    } catch (Exception closedMeanwhile) {
                        echoed = false;
                    }
                    if (echoed) {
                        return -1L; // on b, undisturbed
                    }
                    assertTrue("a client on b was disturbed: " + c.token, c.closed.isDone());
                }
                while (System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(10)) {
                    try {
                        Client again = new Client(c.token).open();
                        if (again.echoes("back " + c.token)) {
                            live.set(index, again);
                            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
                        }
                    } catch (Exception retry) {
                        Thread.sleep(50);
                    }
                }
                throw new AssertionError("no reconnect of " + c.token + " within 10 s");
            }));
        }
        int moved = 0;
        for (java.util.concurrent.Future<Long> f : outcomes) {
            long ms = f.get(30, TimeUnit.SECONDS);
            if (ms >= 0) {
                moved++;
                worstReconnectMs = Math.max(worstReconnectMs, ms);
            }
        }
        pool.shutdown();
        assertTrue("moved clients: " + moved, moved > 0);
        assertTrue("all " + moved + " clients of a served by b " + worstReconnectMs + " ms after the kill",
                worstReconnectMs <= 3000);
        for (Client c : live) {
            c.ws.sendClose(1000, "done");
        }

        // rolling restart under a steady stream of new connections: no failed handshake
        nodes[0].start();
        awaitUp("a");
        AtomicBoolean run = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        long loaderStart = System.nanoTime();
        Thread loader = new Thread(() -> {
            int n = 0;
            while (run.get()) {
                String token = "tok-" + (2 + (n++ % (CLIENTS - 2)));
                try {
                    Client c = new Client(token).open();
                    if (c.echoes("r" + n)) {
                        ok.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        failures.add(token + ": no echo");
                    }
                    c.ws.sendClose(1000, "");
                } catch (Exception e) {
                    failed.incrementAndGet();
                    Throwable c = e.getCause();
                    failures.add(token + ": " + (c instanceof java.net.http.WebSocketHandshakeException
                            ? "status " + ((java.net.http.WebSocketHandshakeException) c).getResponse().statusCode()
                            : String.valueOf(e)) + " at +" + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loaderStart) + " ms");
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "cluster-loader");
        loader.start();
        long restartStart = System.nanoTime();
        for (int k : new int[] {1, 0}) {
            Node n = nodes[k];
            System.out.println("cluster: SIGTERM " + n.name + " at +" + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loaderStart) + " ms");
            n.proc.destroy(); // SIGTERM: health 503, drain-delay, drain-timeout, exit
            assertTrue(n.name + " exits after its drain", n.proc.waitFor(60, TimeUnit.SECONDS));
            System.out.println("cluster: " + n.name + " exited at +" + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loaderStart) + " ms");
            n.start();
            System.out.println("cluster: " + n.name + " started at +" + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loaderStart) + " ms");
            awaitUp(n.name);
            System.out.println("cluster: " + n.name + " UP in haproxy at +" + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loaderStart) + " ms");
        }
        Thread.sleep(1000);
        run.set(false);
        loader.join(30_000);
        long restartMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartStart);
        System.out.println("cluster: revocation " + worstRevokeMs + " ms (worst of 2); kill -9: " + moved + " clients moved, "
                + "all served again " + worstReconnectMs + " ms after the kill; rolling restart " + restartMs + " ms: "
                + ok.get() + " handshakes ok, " + failed.get() + " failed " + failures);
        if (failed.get() > 0) {
            for (Node n : nodes) {
                for (String l : n.logText().split("\n")) {
                    if (l.contains("io.websocksy.handshake") || l.contains("ShutdownDrain") || l.contains("draining")
                            || l.contains("listening on") || l.contains("Redis")) {
                        System.out.println(n.name + ": " + l);
                    }
                }
            }
        }
        assertEquals("failed handshakes during the rolling restart: " + failures, 0, failed.get());
        assertTrue("handshakes during the rolling restart: " + ok.get(), ok.get() > 20);
    }

    private static int countOpen(Node n) {
        int open = 0;
        for (String l : n.logText().split("\n")) {
            if (l.contains(" open main ")) {
                open++;
            }
        }
        return open;
    }

    @After
    public void stop() throws Exception {
        if (haproxy != null) {
            haproxy.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (Node n : nodes) {
            if (n != null && n.proc != null && n.proc.isAlive()) {
                n.proc.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
        }
        for (AutoCloseable r : resources) {
            r.close();
        }
        for (Path d : dirs) {
            try (Stream<Path> s = Files.walk(d)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
