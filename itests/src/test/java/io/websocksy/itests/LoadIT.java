package io.websocksy.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Test;

import io.websocksy.itests.support.Chop;
import io.websocksy.itests.support.Conformance;
import io.websocksy.itests.support.Poll;
import io.websocksy.itests.support.Ports;
import io.websocksy.itests.support.RawHttp.Request;
import io.websocksy.itests.support.RawWs;
import io.websocksy.itests.support.TcpPeer;
import io.websocksy.itests.support.WsFrame;

/**
 * docs/conformance.md D2, D3, D5 against the assembled distribution ({@code runtime/target/websocksy}) run as
 * its own process, so its descriptors, heap and CPU can be measured from outside (and D5 can give it a
 * low descriptor limit). Not part of the default run: {@code mvn -B -ntp -pl itests verify -Pload}
 * (README, "Conformance").
 */
public class LoadIT {
    private final List<Process> processes = new ArrayList<>();
    private final List<AutoCloseable> peers = new ArrayList<>();
    private Path work;

    /** A running distribution with one listener to a TCP echo peer. */
    private final class Runtime {
        final Process process;
        final int port;
        final Path log;

        Runtime(int ulimit, String... listenerKeys) throws Exception {
            Path home = Paths.get(System.getProperty("websocksy.dist", "../runtime/target/websocksy")).toAbsolutePath();
            assertTrue("distribution missing at " + home, Files.isExecutable(home.resolve("bin/websocksy")));
            work = Files.createTempDirectory("websocksy-load-it");
            Path deploy = Files.createDirectories(work.resolve("deploy"));
            TcpPeer echo = TcpPeer.echo();
            peers.add(echo);
            port = Ports.freePort();
            StringBuilder l = new StringBuilder("listen = 127.0.0.1\nport = " + port + "\nbackend = load\nping = 0\n");
            for (int i = 0; i < listenerKeys.length; i += 2) {
                l.append(listenerKeys[i]).append(" = ").append(listenerKeys[i + 1]).append('\n');
            }
            write(deploy, "websocksy.listener-load.cfg", l.toString());
            write(deploy, "websocksy.backend.default-load.cfg", "name = load\nhost = " + echo.address() + "\nframing = auto\n");
            String cmd = (ulimit > 0 ? "ulimit -n " + ulimit + " && " : "") + "exec " + home.resolve("bin/websocksy");
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", cmd);
            pb.environment().put("WEBSOCKSY_DEPLOY", deploy.toString());
            pb.environment().put("WEBSOCKSY_ETC", Files.createDirectories(work.resolve("etc")).toString());
            pb.environment().put("WEBSOCKSY_OPTS", "-Dorg.osgi.framework.storage=" + work.resolve("cache")
                    + " -Dio.netty.leakDetection.level=simple -Xmx512m");
            log = work.resolve("websocksy.log");
            pb.redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            process = pb.start();
            processes.add(process);
            Poll.until(Duration.ofSeconds(90), "listener on " + port + " (log " + log + ")", () -> Ports.accepts(port));
            // the backend's .cfg may be applied after the listener's: wait until the listener routes
            io.websocksy.itests.support.WsClient.awaitRouted(port, "/", Duration.ofSeconds(60));
        }

        long pid() {
            return process.pid();
        }

        int fds() {
            String[] l = new File("/proc/" + pid() + "/fd").list();
            return l == null ? -1 : l.length;
        }

        /** @return open sockets of the runtime (files such as bundle jars that Felix opens lazily left out) */
        int sockets() {
            File[] l = new File("/proc/" + pid() + "/fd").listFiles();
            int n = 0;
            for (File f : l == null ? new File[0] : l) {
                try {
                    if (Files.readSymbolicLink(f.toPath()).toString().startsWith("socket:")) {
                        n++;
                    }
                } catch (IOException closedMeanwhile) {
                    // gone
                }
            }
            return n;
        }

        /** @return the runtime's sockets with their protocol and TCP state, for a failure message */
        String describeSockets() throws IOException {
            Map<String, String> kind = new HashMap<>();
            for (String table : new String[] {"tcp", "tcp6", "udp", "udp6", "unix"}) {
                Path t = Paths.get("/proc/" + pid() + "/net/" + table);
                if (!Files.exists(t)) {
                    continue;
                }
                List<String> lines = Files.readAllLines(t);
                for (String line : lines.subList(1, lines.size())) {
                    String[] f = line.trim().split("\\s+");
                    if (table.equals("unix")) {
                        if (f.length > 6) {
                            kind.put(f[6], "unix" + (f.length > 7 ? " " + f[7] : ""));
                        }
                    } else if (f.length > 9) {
                        kind.put(f[9], table + " " + f[1] + "->" + f[2] + " st=" + f[3]);
                    }
                }
            }
            StringBuilder sb = new StringBuilder();
            File[] l = new File("/proc/" + pid() + "/fd").listFiles();
            for (File f : l == null ? new File[0] : l) {
                String link = Files.readSymbolicLink(f.toPath()).toString();
                if (link.startsWith("socket:[")) {
                    String inode = link.substring(8, link.length() - 1);
                    sb.append(kind.getOrDefault(inode, "socket " + inode)).append("; ");
                }
            }
            return sb.toString();
        }

        /** @return CPU time (user + system) in ms */
        long cpuMillis() throws IOException {
            String stat = Files.readString(Paths.get("/proc/" + pid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
        }

        /** @return used heap in KiB after a full GC (jcmd) */
        long heapKibAfterGc() throws Exception {
            jcmd("GC.run");
            Matcher m = Pattern.compile("used (\\d+)K").matcher(jcmd("GC.heap_info"));
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        }

        String jcmd(String what) throws Exception {
            Path jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd");
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), what).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            return out;
        }

        void assertNoLeakReport() throws IOException {
            String text = Files.readString(log);
            assertTrue("Netty leak report in " + log, !text.contains("LEAK:"));
        }
    }

    private static void write(Path dir, String name, String content) throws IOException {
        Path tmp = dir.resolve(name + ".tmp");
        Files.write(tmp, content.getBytes(StandardCharsets.UTF_8));
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    @After
    public void stop() throws Exception {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        for (AutoCloseable c : peers) {
            c.close();
        }
        Conformance.writeReport();
    }

    private static String echoOnce(int port, String text) throws IOException {
        try (RawWs ws = RawWs.open(port, Request.upgrade(port))) {
            ws.send(WsFrame.text(text));
            RawWs.Frame f = ws.read(30_000);
            ws.send(WsFrame.close(1000, ""));
            RawWs.Outcome o = ws.awaitClose(30_000, 5_000);
            if (o.code() != 1000 || !o.tcpClosed) {
                throw new IOException("close: " + o);
            }
            return new String(f.payload, StandardCharsets.UTF_8);
        }
    }

    private static <T> T record(String id, String description, String expected, String test, Conformance.Body<T> body)
            throws Exception {
        long t0 = System.nanoTime();
        try {
            T got = body.run();
            Conformance.record(id, description, expected, String.valueOf(got), true, test, (System.nanoTime() - t0) / 1_000_000);
            return got;
        } catch (Throwable t) {
            Conformance.record(id, description, expected, t.toString(), false, test, (System.nanoTime() - t0) / 1_000_000);
            throw t;
        }
    }

    @Test
    public void d2_hundredThousandCyclesLeaveFdsAndHeapAtBaseline() throws Exception {
        record("D2", "100 000 connect -> handshake -> 1 message -> close cycles, 200 at a time (separate runtime process)",
                "fd count and heap back at baseline; no leak report", "LoadIT.d2", () -> {
            Runtime rt = new Runtime(0);
            // warm-up on every event loop: each loop creates its DNS resolver (one UDP socket) on first use
            for (int i = 0; i < 64; i++) {
                echoOnce(rt.port, "warm-up");
            }
            long heap0 = rt.heapKibAfterGc();        // first: jcmd's attach listener socket is part of the baseline
            int fd0 = rt.fds();
            int sock0 = rt.sockets();
            int total = 100_000;
            int parallel = 200;
            AtomicInteger done = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(parallel);
            long t0 = System.nanoTime();
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < parallel; t++) {
                fs.add(pool.submit(() -> {
                    while (done.get() + failed.get() < total) {
                        if (done.incrementAndGet() > total) {
                            done.decrementAndGet();
                            return null;
                        }
                        try {
                            if (!"m".equals(echoOnce(rt.port, "m"))) {
                                failed.incrementAndGet();
                            }
                        } catch (IOException e) {
                            failed.incrementAndGet();
                            done.decrementAndGet();
                            if (failed.get() > 100) {
                                throw e;
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(30, TimeUnit.MINUTES);
            }
            pool.shutdown();
            long secs = Math.max(1, (System.nanoTime() - t0) / 1_000_000_000);
            try {
                Poll.until(Duration.ofSeconds(20), "runtime sockets back at baseline " + sock0, () -> rt.sockets() <= sock0);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ": " + rt.sockets() + " sockets, " + rt.fds() + " fds (" + fd0
                        + " before); " + rt.describeSockets());
            }
            long heap = rt.heapKibAfterGc();
            int fd = rt.fds();
            assertTrue("descriptors other than sockets (bundle jars opened lazily) " + fd0 + " -> " + fd, fd <= fd0 + 10);
            assertEquals("failed cycles", 0, failed.get());
            assertTrue("heap after " + heap + " KiB vs baseline " + heap0 + " KiB", heap <= heap0 + 4096);
            rt.assertNoLeakReport();
            return total + " cycles in " + secs + " s (" + total / secs + "/s), 0 failed; sockets " + sock0 + " -> "
                    + rt.sockets() + ", all fds " + fd0 + " -> " + fd
                    + "; heap after GC " + heap0 + " -> " + heap + " KiB; no LEAK report";
        });
    }

    @Test
    public void d3_fiveThousandSlowlorisClosedAtTheHandshakeTimeout() throws Exception {
        record("D3", "5 000 slowloris sockets (request line, then nothing) plus legitimate clients; handshake-timeout 3 s",
                "each slowloris closed at T_hs (+1 s); legitimate clients succeed meanwhile", "LoadIT.d3", () -> {
            Runtime rt = new Runtime(0, "handshake-timeout", "3");
            long heap0 = rt.heapKibAfterGc();
            int n = 5000;
            Selector sel = Selector.open();
            Map<SocketChannel, Long> opened = new HashMap<>();
            long worst = 0;
            long earliest = Long.MAX_VALUE;
            int legit = 0;
            long heapLoaded;
            try {
                for (int i = 0; i < n; i++) {
                    SocketChannel ch = SocketChannel.open(new InetSocketAddress(Ports.LOOPBACK, rt.port));
                    ch.write(ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII)));
                    ch.configureBlocking(false);
                    ch.register(sel, SelectionKey.OP_READ);
                    opened.put(ch, System.nanoTime());
                    if (i % 1000 == 999) {
                        assertEquals("a legitimate client meanwhile", "legit", echoOnce(rt.port, "legit"));
                        legit++;
                    }
                }
                heapLoaded = rt.heapKibAfterGc();
                ByteBuffer buf = ByteBuffer.allocate(4096);
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (!opened.isEmpty() && System.nanoTime() < deadline) {
                    sel.select(500);
                    for (SelectionKey k : sel.selectedKeys()) {
                        SocketChannel ch = (SocketChannel) k.channel();
                        buf.clear();
                        int r;
                        try {
                            r = ch.read(buf);
                        } catch (IOException reset) {
                            r = -1;
                        }
                        if (r < 0) {
                            long ms = (System.nanoTime() - opened.remove(ch)) / 1_000_000;
                            worst = Math.max(worst, ms);
                            earliest = Math.min(earliest, ms);
                            k.cancel();
                            ch.close();
                        }
                    }
                    sel.selectedKeys().clear();
                }
                assertEquals("slowloris sockets still open after 60 s", 0, opened.size());
            } finally {
                for (SocketChannel ch : opened.keySet()) {
                    ch.close();
                }
                sel.close();
            }
            assertTrue("none closed well before the 3 s timeout: earliest " + earliest + " ms", earliest >= 2500);
            assertTrue("each closed within T_hs + 1 s (+ 2 s slack for 5 000 sockets on 2 cores): worst " + worst + " ms",
                    worst <= 6000);
            assertEquals("legitimate clients", "legit", echoOnce(rt.port, "legit"));
            rt.assertNoLeakReport();
            return n + " slowloris closed after " + earliest + "-" + worst + " ms; " + (legit + 1)
                    + " legitimate clients succeeded; heap " + heap0 + " KiB, with 5 000 open " + heapLoaded + " KiB ("
                    + (heapLoaded - heap0) * 1024 / n + " B each)";
        });
    }

    @Test
    public void d5_fdExhaustionDoesNotSpinAndTheListenerRecovers() throws Exception {
        record("D5", "runtime with ulimit -n 256; one bridge open; 400 more TCP connections",
                "accepts fail without a CPU spin (< 10 % CPU); listener survives; service resumes; the open bridge"
                + " is unaffected", "LoadIT.d5", () -> {
            Runtime rt = new Runtime(256, "handshake-timeout", "60");
            try (RawWs existing = RawWs.open(rt.port, Request.upgrade(rt.port))) {
                existing.send(WsFrame.text("before"));
                assertArrayEquals("before".getBytes(StandardCharsets.UTF_8), existing.read(10_000).payload);
                List<Socket> flood = new ArrayList<>();
                int refused = 0;
                try {
                    for (int i = 0; i < 400; i++) {
                        Socket s = new Socket();
                        try {
                            s.connect(new InetSocketAddress(Ports.LOOPBACK, rt.port), 500);
                            flood.add(s);
                        } catch (IOException e) {
                            refused++;
                            s.close();
                        }
                    }
                    Thread.sleep(1000);
                    int fds = rt.fds();
                    long c0 = rt.cpuMillis();
                    long w0 = System.nanoTime();
                    Thread.sleep(5000);
                    double cpu = (rt.cpuMillis() - c0) * 100.0 / ((System.nanoTime() - w0) / 1_000_000);
                    assertTrue("runtime at its descriptor limit: " + fds + " fds", fds >= 240);
                    assertTrue("no CPU spin at EMFILE: " + cpu + " %", cpu < 10);
                    String log = Files.readString(rt.log);
                    for (Socket s : flood) {
                        s.close();
                    }
                    flood.clear();
                    Poll.until(Duration.ofSeconds(30), "the listener serving again",
                            () -> {
                                try {
                                    return "after".equals(echoOnce(rt.port, "after"));
                                } catch (IOException e) {
                                    return false;
                                }
                            });
                    existing.send(WsFrame.text("still"));
                    assertArrayEquals("the open bridge is unaffected", "still".getBytes(StandardCharsets.UTF_8),
                            existing.read(10_000).payload);
                    return String.format("%d connections queued/accepted, %d timed out; runtime at %d fds; CPU during"
                            + " EMFILE %.1f %%; after the flood closed: new clients served, open bridge echoes; log %s"
                            + " 'Too many open files'", 400 - refused, refused, fds, cpu,
                            log.contains("Too many open files") ? "names" : "does not name");
                } finally {
                    for (Socket s : flood) {
                        s.close();
                    }
                }
            }
        });
    }
}
