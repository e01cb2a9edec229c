package io.websocksy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.websocksy.itests.support.TcpPeer;

/**
 * docs/behaviour.md#relay "Flow control" / docs/conformance.md B1, B2: 1 GiB each way through one bridge to a TCP peer, with
 * matching SHA-256, and bounded memory while the client does not read.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FlowControlIT extends ConformanceBase {
    @Override
    protected String[] framers() {
        return new String[] {"auto", "binary"};
    }

    static final long TOTAL = 1L << 30;                  // 1 GiB
    static final int CHUNK = 256 * 1024;
    static final long PAUSE_AT = 64L << 20;              // stop reading after 64 MiB
    static final long PAUSE_MILLIS = 10_000;
    static final long MEMORY_SLACK = 64L << 20;          // baseline + 64 MiB
    static final long SEED = 0x5eed;

    /** Deterministic pseudo-random stream, the same on both sides. */
    static final class Source {
        private final SplittableRandom r = new SplittableRandom(SEED);

        void fill(byte[] b, int len) {
            for (int i = 0; i < len; i += 8) {
                long v = r.nextLong();
                for (int j = 0; j < 8 && i + j < len; j++) {
                    b[i + j] = (byte) (v >>> (8 * j));
                }
            }
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    public void b2_clientToPeer1GiBArrivesIntact() throws Exception {
        check("B2", "the client sends 1 GiB to a TCP peer (binary framing) as fast as it can",
                "WebSocket reads paused while the peer is unwritable; all bytes in order (SHA-256 match); INV-1 holds",
                this::clientToPeer);
    }

    private String clientToPeer() throws Exception {
        CompletableFuture<String> peerHash = new CompletableFuture<>();
        AtomicLong peerGot = new AtomicLong();
        TcpPeer peer = bridge.track(new TcpPeer(s -> {
            MessageDigest md = sha256();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) >= 0) {
                long before = peerGot.get();
                int use = (int) Math.min(n, TOTAL - before);
                md.update(buf, 0, use);
                if (peerGot.addAndGet(n) >= TOTAL && before < TOTAL) {
                    peerHash.complete(HexFormat.of().formatHex(md.digest()));
                }
            }
            peerHash.complete("EOF after " + peerGot.get() + " bytes");
        }));
        int port = bridge.listener(bridge.defaultBackend(peer.address(), "framing", "binary"));

        CompletableFuture<Void> closed = new CompletableFuture<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                        closed.completeExceptionally(new AssertionError("server closed with " + code + " " + reason));
                        return null;
                    }

                    @Override
                    public void onError(WebSocket w, Throwable error) {
                        closed.completeExceptionally(error);
                    }
                }).get(15, TimeUnit.SECONDS);
        try {
            MessageDigest md = sha256();
            Source src = new Source();
            byte[] buf = new byte[CHUNK];
            long t0 = System.nanoTime();
            for (long sent = 0; sent < TOTAL; sent += CHUNK) {
                src.fill(buf, CHUNK);
                md.update(buf, 0, CHUNK);
                ws.sendBinary(ByteBuffer.wrap(buf), true).get(60, TimeUnit.SECONDS);
                if (closed.isCompletedExceptionally()) {
                    closed.join();
                }
            }
            String sentHash = HexFormat.of().formatHex(md.digest());
            String got = peerHash.get(120, TimeUnit.SECONDS);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("FlowControlIT client->peer: %d MiB in %d ms (%.0f MiB/s)%n",
                    TOTAL >> 20, ms, (TOTAL >> 20) * 1000.0 / Math.max(1, ms));
            assertEquals("SHA-256 of 1 GiB client->peer", sentHash, got);
            return String.format("1 GiB, SHA-256 match, %.0f MiB/s", (TOTAL >> 20) * 1000.0 / Math.max(1, ms));
        } finally {
            ws.abort();
        }
    }

    @Test
    public void b1_peerToClient1GiBWithPausedClientStaysBounded() throws Exception {
        check("B1", "the peer writes 1 GiB as fast as it can; the client stops reading for 10 s after 64 MiB, then reads"
                + " everything", "peer reads paused (the peer is stalled), memory bounded; all 1 GiB in order (SHA-256);"
                + " INV-1 holds", this::peerToClient);
    }

    private String peerToClient() throws Exception {
        AtomicLong peerSent = new AtomicLong();
        CompletableFuture<String> peerHash = new CompletableFuture<>();
        TcpPeer peer = bridge.track(new TcpPeer(s -> {
            MessageDigest md = sha256();
            Source src = new Source();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[65536];
            for (long sent = 0; sent < TOTAL; sent += buf.length) {
                src.fill(buf, buf.length);
                md.update(buf);
                out.write(buf);
                peerSent.addAndGet(buf.length);
            }
            out.flush();
            peerHash.complete(HexFormat.of().formatHex(md.digest()));
            s.shutdownOutput();
            s.getInputStream().readAllBytes();                // until the bridge closes
        }));
        int port = bridge.listener(bridge.defaultBackend(peer.address(), "framing", "binary"));

        long heapBase = usedHeapAfterGc();
        long nettyBase = nettyDirect();
        long nioBase = nioDirect();

        MessageDigest md = sha256();
        AtomicLong received = new AtomicLong();
        CountDownLatch paused = new CountDownLatch(1);
        AtomicReference<WebSocket> pausedWs = new AtomicReference<>();
        CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), new WebSocket.Listener() {
                    private boolean pausedOnce;

                    @Override
                    public void onOpen(WebSocket w) {
                        w.request(1);
                    }

                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        closeCode.completeExceptionally(new AssertionError("text message with binary framing"));
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                        long n = received.addAndGet(data.remaining());
                        md.update(data);
                        if (!pausedOnce && n >= PAUSE_AT) {
                            pausedOnce = true;               // stop reading: no request(1) until resumed
                            pausedWs.set(w);
                            paused.countDown();
                        } else {
                            w.request(1);
                        }
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                        closeCode.complete(code);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket w, Throwable error) {
                        closeCode.completeExceptionally(error);
                    }
                }).get(15, TimeUnit.SECONDS);
        try {
            long t0 = System.nanoTime();
            assertTrue("64 MiB arrived before the pause", paused.await(60, TimeUnit.SECONDS));
            long pauseStart = System.nanoTime();
            // the pause is the scenario under test, not a synchronisation: the client does not read for 10 s
            Thread.sleep(PAUSE_MILLIS / 2);
            long sentMid = peerSent.get();
            Thread.sleep(PAUSE_MILLIS / 2 - 1000);
            long heap = usedHeapAfterGc();
            long netty = nettyDirect();
            long nio = nioDirect();
            long sentLate = peerSent.get();
            Thread.sleep(Math.max(0, PAUSE_MILLIS - (System.nanoTime() - pauseStart) / 1_000_000));
            System.out.printf("FlowControlIT pause: received=%d MiB, peer sent=%d MiB (mid %d MiB), heap %d -> %d MiB,"
                    + " netty direct %d -> %d MiB, nio direct %d -> %d MiB%n",
                    received.get() >> 20, sentLate >> 20, sentMid >> 20, heapBase >> 20, heap >> 20,
                    nettyBase >> 20, netty >> 20, nioBase >> 20, nio >> 20);
            assertTrue("peer still blocked (it has not sent all 1 GiB) during the pause", sentLate < TOTAL);
            assertEquals("the peer is stalled while the client does not read (bytes sent between 5 s and 9 s)",
                    sentMid, sentLate);
            assertTrue("heap " + (heap >> 20) + " MiB within baseline " + (heapBase >> 20) + " MiB + 64 MiB",
                    heap <= heapBase + MEMORY_SLACK);
            if (netty >= 0 && nettyBase >= 0) {
                assertTrue("Netty direct memory " + (netty >> 20) + " MiB within baseline " + (nettyBase >> 20)
                        + " MiB + 64 MiB", netty <= nettyBase + MEMORY_SLACK);
            }
            assertTrue("NIO direct memory " + (nio >> 20) + " MiB within baseline " + (nioBase >> 20) + " MiB + 64 MiB",
                    nio <= nioBase + MEMORY_SLACK);

            pausedWs.get().request(1);                           // resume
            int code = closeCode.get(120, TimeUnit.SECONDS);
            long ms = (System.nanoTime() - t0) / 1_000_000 - PAUSE_MILLIS;
            System.out.printf("FlowControlIT peer->client: %d MiB in %d ms excluding the pause (%.0f MiB/s)%n",
                    received.get() >> 20, ms, (received.get() >> 20) * 1000.0 / Math.max(1, ms));
            assertEquals("bytes received", TOTAL, received.get());
            assertEquals("SHA-256 of 1 GiB peer->client", peerHash.get(10, TimeUnit.SECONDS),
                    HexFormat.of().formatHex(md.digest()));
            assertEquals("close after the peer's EOF", 1000, code);
            return String.format("1 GiB, SHA-256 match; during the pause heap +%d MiB, NIO direct +%d MiB, peer stalled",
                    (heap - heapBase) >> 20, (nio - nioBase) >> 20);
        } finally {
            ws.abort();
        }
    }

    static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    /** @return Netty's own direct-memory counter, or -1 when Netty does not count */
    static long nettyDirect() {
        return io.netty.util.internal.PlatformDependent.usedDirectMemory();
    }

    static long nioDirect() {
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if ("direct".equals(b.getName())) {
                return b.getMemoryUsed();
            }
        }
        return 0;
    }
}
