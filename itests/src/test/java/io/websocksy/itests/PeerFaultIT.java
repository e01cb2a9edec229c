package io.websocksy.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.websocksy.api.peer.PeerAddress;
import io.websocksy.itests.support.Chop;
import io.websocksy.itests.support.Dns;
import io.websocksy.itests.support.Ports;
import io.websocksy.itests.support.RawHttp;
import io.websocksy.itests.support.RawHttp.Request;
import io.websocksy.itests.support.RawHttp.Response;
import io.websocksy.itests.support.RawWs;
import io.websocksy.itests.support.TcpPeer;
import io.websocksy.itests.support.WsFrame;

/**
 * docs/conformance.md#p: peer faults, with real fault peers (P1-P3 are in {@link HandshakeIT}, P10 in
 * {@link CloseIT}). The peer is connected before the 101, so connect failures are HTTP statuses.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PeerFaultIT extends ConformanceBase {
    static final Duration T = Duration.ofSeconds(10);

    private static String status(Response r) {
        HandshakeIT.assertError(r, r.status);
        return r.statusLine.replace("HTTP/1.1 ", "");
    }

    @Test
    public void p04_slowDnsGets504WithoutBlockingTheLoop() throws Exception {
        check("P4", "slow DNS: the stub resolver answers after 5 s; connect-timeout 2 s",
                "504 at the timeout; the event loop is never blocked (INV-1, other handshakes complete meanwhile)", () -> {
            Dns.awaitTransportUsesStub(ctx);
            int p = bridge.listener(bridge.defaultBackend("tcp://slow-dns.invalid:9"), "connect-timeout", "2");
            System.setProperty(io.websocksy.itests.support.StubDns.DELAY_PROPERTY, "5000");
            try {
                CompletableFuture<Response> slow = CompletableFuture.supplyAsync(() -> {
                    try {
                        return RawHttp.exchange(p, Request.upgrade(p));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                long t0 = System.nanoTime();
                Thread.sleep(300);
                // meanwhile, another client's handshake and round trip through the same bridge
                try (RawWs ws = RawWs.open(echoPort, Request.upgrade(echoPort))) {
                    ws.send(WsFrame.text("meanwhile"));
                    assertArrayEquals(ascii("meanwhile"), ws.read(10_000).payload);
                    ws.send(WsFrame.close(1000, ""));
                    expectClose(ws, 1000);
                }
                long other = (System.nanoTime() - t0) / 1_000_000;
                assertTrue("the slow look-up is still pending", !slow.isDone());
                Response r = slow.get(15, TimeUnit.SECONDS);
                long ms = (System.nanoTime() - t0) / 1_000_000 + 300;
                HandshakeIT.assertError(r, 504);
                assertTrue("504 at the 2 s connect timeout, not before: " + ms, ms >= 1800);
                return "504 after about " + ms + " ms; another handshake + echo completed in " + other + " ms meanwhile";
            } finally {
                System.clearProperty(io.websocksy.itests.support.StubDns.DELAY_PROPERTY);
            }
        });
    }

    @Test
    public void p05_badUnixPathsGet502() throws Exception {
        check("P5", "unix peer path missing (ENOENT); socket file without listener (ECONNREFUSED); a regular file; a"
                + " directory; permission denied (EACCES; not testable as root)", "502, errno in the log", () -> {
            Path dir = Files.createTempDirectory("wsy-p5");
            try {
                Path stale = dir.resolve("stale.sock");
                try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                    ch.bind(UnixDomainSocketAddress.of(stale));
                }                                                    // closed, the file stays: ECONNREFUSED
                Path file = Files.write(dir.resolve("file"), new byte[] {1});
                Path noAccess = dir.resolve("noaccess");
                Files.createDirectory(noAccess);
                Path guarded = noAccess.resolve("s.sock");
                try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                    ch.bind(UnixDomainSocketAddress.of(guarded));
                    Files.setPosixFilePermissions(noAccess, java.util.Set.of());
                    StringBuilder got = new StringBuilder();
                    for (Path p : new Path[] {dir.resolve("missing.sock"), stale, file, dir, guarded}) {
                        int lp = bridge.listener(bridge.defaultBackend("unix://" + p));
                        Response r = RawHttp.exchange(lp, Request.upgrade(lp));
                        boolean root = "root".equals(System.getProperty("user.name"));
                        if (p == guarded && root) {
                            got.append("EACCES: not applicable as root (").append(r.status).append("). ");
                            continue;
                        }
                        HandshakeIT.assertError(r, 502);
                        got.append(p.getFileName()).append(": 502. ");
                    }
                    return got.toString();
                } finally {
                    Files.setPosixFilePermissions(noAccess, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
                    Files.deleteIfExists(guarded);
                }
            } finally {
                try (var w = Files.walk(dir)) {
                    w.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
                }
            }
        });
    }

    @Test
    public void p06_unixPathOver107BytesIsRejected() throws Exception {
        check("P6", "unix socket path longer than 107 bytes", "rejected at route load (never truncated)", () -> {
            String longPath = "/tmp/" + "d".repeat(120) + ".sock";
            try {
                PeerAddress.parse("unix://" + longPath);
                throw new AssertionError("a 126-byte unix path was accepted");
            } catch (IllegalArgumentException e) {
                // a backend that builds the route from such a path fails: 500, one log line, no connect
                String be = bridge.registerBackend(req -> CompletableFuture.supplyAsync(
                        () -> Optional.of(io.websocksy.api.backend.Route.to(PeerAddress.parse("unix://" + longPath)).build())));
                int lp = bridge.listener(be);
                return "PeerAddress rejects it: '" + e.getMessage() + "'; through a backend: "
                        + status(RawHttp.exchange(lp, Request.upgrade(lp)));
            }
        });
    }

    @Test
    public void p07_abstractNamespaceIsRejected() throws Exception {
        check("P7", "abstract-namespace unix path (leading @ or NUL) in a route", "rejected", () -> {
            StringBuilder got = new StringBuilder();
            for (String a : new String[] {"unix://@abstract", "unix-dgram://@abstract", "unix://\0abstract"}) {
                try {
                    PeerAddress.parse(a);
                    fail(a.replace("\0", "\\0") + " was accepted");
                } catch (IllegalArgumentException e) {
                    got.append(a.replace("\0", "\\0")).append(": rejected ('").append(e.getMessage()).append("'). ");
                }
            }
            return got.toString();
        });
    }

    @Test
    public void p08_peerAcceptsThenClosesGives101ThenClose1000() throws Exception {
        check("P8", "peer accepts, then closes at once without data", "101, then Close 1000 (documented choice)", () -> {
            TcpPeer p = bridge.track(new TcpPeer(s -> s.close()));
            int lp = bridge.listener(bridge.defaultBackend(p.address()));
            try (RawWs ws = RawWs.open(lp, Request.upgrade(lp))) {
                return "101, then " + expectClose(ws, 1000);
            }
        });
    }

    @Test
    public void p09_bannerIsTheFirstFrameAfterThe101() throws Exception {
        check("P9", "the peer sends a banner on connect (VNC 'RFB 003.008\\n'), binary framing",
                "the banner is the first frame after the 101, never lost or sent before it", () -> {
            byte[] banner = ascii("RFB 003.008\n");
            TcpPeer p = bridge.track(new TcpPeer(s -> {
                s.getOutputStream().write(banner);
                s.getOutputStream().flush();
                s.getInputStream().readAllBytes();
            }));
            int lp = bridge.listener(bridge.defaultBackend(p.address(), "framing", "binary"));
            for (int i = 0; i < 5; i++) {
                try (RawWs ws = RawWs.open(lp, Request.upgrade(lp))) {
                    RawWs.Frame f = ws.read(10_000);
                    assertEquals("binary banner: " + f, RawWs.BINARY, f.opcode);
                    assertArrayEquals(banner, f.payload);
                    ws.send(WsFrame.close(1000, ""));
                    expectClose(ws, 1000);
                }
            }
            return "5 connections: the banner was the first frame after the 101 each time";
        });
    }

    @Test
    public void p11_peerHalfCloseWhileTheClientSends() throws Exception {
        check("P11", "the peer writes 'bye' and half-closes (FIN) while the client keeps sending",
                "peer data flushed to the client, then Close 1000; the client's late data dropped", () -> {
            CountDownLatch finSent = new CountDownLatch(1);
            TcpPeer p = bridge.track(new TcpPeer(s -> {
                InputStream in = s.getInputStream();
                in.read();
                s.getOutputStream().write(ascii("bye"));
                s.getOutputStream().flush();
                s.shutdownOutput();
                finSent.countDown();
                in.readAllBytes();
            }));
            int lp = bridge.listener(bridge.defaultBackend(p.address(), "framing", "binary"));
            try (RawWs ws = RawWs.open(lp, Request.upgrade(lp))) {
                ws.send(WsFrame.binary(ascii("go")));
                assertTrue(finSent.await(10, TimeUnit.SECONDS));
                int late = 0;
                for (int i = 0; i < 20; i++) {
                    try {
                        ws.send(WsFrame.binary(ascii("late")));
                        late++;
                    } catch (IOException closed) {
                        break;
                    }
                }
                RawWs.Outcome o = expectClose(ws, 1000);
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                for (RawWs.Frame f : o.before) {
                    got.write(f.payload);
                }
                assertArrayEquals("peer data before the close", ascii("bye"), got.toByteArray());
                return "'bye', then " + o + " (" + late + " late client messages sent meanwhile)";
            }
        });
    }

    @Test
    public void p12_udpPortUnreachable() throws Exception {
        check("P12", "UDP peer port closed: ICMP port unreachable, then ECONNREFUSED on the connected socket",
                "Close 1011 (this bridge's policy); no busy loop", () -> {
            int lp = bridge.listener(bridge.defaultBackend("udp://127.0.0.1:" + Ports.freeUdpPort(), "framing", "binary"));
            try (RawWs ws = RawWs.open(lp, Request.upgrade(lp))) {
                for (int i = 0; i < 5; i++) {
                    ws.sendHostile(WsFrame.binary(ascii("datagram " + i)).bytes(), Chop.WHOLE, 0);
                    Thread.sleep(100);
                }
                return expectClose(ws, 1011).toString();
            }
        });
    }

    @Test
    public void p13_tenMiBBurstKeepsOrderAndPongs() throws Exception {
        check("P13", "the peer emits a 10 MiB burst with binary framing; the client pings while reading",
                "frames no larger than max-message-size; order kept; pongs not starved", () -> {
            int total = 10 << 20;
            TcpPeer p = bridge.track(new TcpPeer(s -> {
                s.getInputStream().read();
                OutputStream out = s.getOutputStream();
                byte[] chunk = new byte[65536];
                for (int off = 0; off < total; off += chunk.length) {
                    for (int i = 0; i < chunk.length; i++) {
                        chunk[i] = (byte) ((off + i) * 31 >>> 8);
                    }
                    out.write(chunk);
                }
                out.flush();
                s.getInputStream().readAllBytes();
            }));
            int lp = bridge.listener(bridge.defaultBackend(p.address(), "framing", "binary"));
            try (RawWs ws = RawWs.open(lp, Request.upgrade(lp))) {
                ws.send(WsFrame.binary(ascii("go")));
                int got = 0;
                int maxFrame = 0;
                int pongsDuring = 0;
                int pingsSent = 0;
                while (got < total) {
                    if (got >= pingsSent * (total / 10) && pingsSent < 10) {
                        ws.send(WsFrame.of(WsFrame.PING).payload(ascii("p" + pingsSent)));
                        pingsSent++;
                    }
                    RawWs.Frame f = ws.read(30_000);
                    if (f.opcode == RawWs.PONG) {
                        pongsDuring++;
                        continue;
                    }
                    assertEquals("binary data: " + f, RawWs.BINARY, f.opcode);
                    for (int i = 0; i < f.payload.length; i++) {
                        if (f.payload[i] != (byte) ((got + i) * 31 >>> 8)) {
                            fail("byte " + (got + i) + " out of order");
                        }
                    }
                    got += f.payload.length;
                    maxFrame = Math.max(maxFrame, f.payload.length);
                }
                assertTrue("largest frame " + maxFrame, maxFrame <= 1 << 20);
                assertTrue("pongs arrived during the burst: " + pongsDuring, pongsDuring >= 5);
                ws.send(WsFrame.close(1000, ""));
                RawWs.Outcome o = expectClose(ws, 1000);
                return "10 MiB in order; largest frame " + maxFrame + " bytes; " + (pongsDuring
                        + o.before.stream().filter(f -> f.opcode == RawWs.PONG).count()) + "/" + pingsSent
                        + " pongs, " + pongsDuring + " of them during the burst";
            }
        });
    }
}
