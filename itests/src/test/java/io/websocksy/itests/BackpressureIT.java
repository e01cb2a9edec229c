package io.websocksy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.websocksy.itests.support.Ports;
import io.websocksy.itests.support.RawHttp;
import io.websocksy.itests.support.RawHttp.Request;
import io.websocksy.itests.support.TcpPeer;
import io.websocksy.itests.support.WsFrame;

/**
 * docs/conformance.md#b: slow parties (B1 and B2, 1 GiB each way, are in {@link FlowControlIT}, which runs
 * with sampled leak detection).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BackpressureIT extends ConformanceBase {
    /** Connects with a small receive buffer and does the handshake; the caller decides when to read. */
    static Socket slowClient(int port) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress(Ports.LOOPBACK, port), 2000);
        s.setSoTimeout(30_000);
        s.getOutputStream().write(Request.upgrade(port).bytes());
        String head = RawHttp.readHead(s.getInputStream());
        if (!head.startsWith("HTTP/1.1 101")) {
            s.close();
            throw new AssertionError("handshake: " + head);
        }
        return s;
    }

    /** Reads server frames until {@code n} payload bytes came or the connection ends; returns the bytes read. */
    static long readPayload(DataInputStream in, long n) throws IOException {
        long got = 0;
        while (got < n) {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            long len = b1 & 0x7f;
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = in.readLong();
            }
            in.skipNBytes(len);
            if ((b0 & 0x0f) == 8) {
                break;
            }
            got += len;
        }
        return got;
    }

    /** Reads server frames until none comes for 2 s; returns the payload bytes read. */
    static long readUntilQuiet(DataInputStream in) throws IOException {
        long got = 0;
        try {
            while (true) {
                got += readPayload(in, 1);
            }
        } catch (java.net.SocketTimeoutException | java.io.EOFException quiet) {
            return got;
        }
    }

    @Test
    public void b3_stalledClientIsClosedAfterWriteTimeout() throws Exception {
        check("B3", "the client stops reading while the peer keeps writing; write-timeout 2 s",
                "bridge closed (close 1001 attempted, TCP closed); peer closed; memory released", () -> {
            AtomicLong peerSent = new AtomicLong();
            CountDownLatch peerEnded = new CountDownLatch(1);
            TcpPeer peer = bridge.track(new TcpPeer(s -> {
                try {
                    OutputStream out = s.getOutputStream();
                    byte[] chunk = new byte[16384];
                    while (true) {
                        out.write(chunk);
                        peerSent.addAndGet(chunk.length);
                    }
                } catch (IOException e) {
                    peerEnded.countDown();
                }
            }));
            int p = bridge.listener(bridge.defaultBackend(peer.address(), "framing", "binary"), "write-timeout", "2");
            long t0 = System.nanoTime();
            try (Socket s = slowClient(p)) {
                assertTrue("peer closed after the write timeout", peerEnded.await(15, TimeUnit.SECONDS));
                long peerMs = (System.nanoTime() - t0) / 1_000_000;
                // drain: the data the kernel buffered, then EOF (or a reset)
                long drained = 0;
                try {
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[65536];
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        drained += n;
                    }
                } catch (java.net.SocketException reset) {
                    // reset after the timeout is a close too
                }
                assertTrue("write timeout of 2 s respected: peer closed after " + peerMs + " ms", peerMs >= 1900);
                return "peer stalled after " + (peerSent.get() >> 10) + " KiB, closed after " + peerMs + " ms; client drained "
                        + (drained >> 10) + " KiB then EOF";
            }
        });
    }

    @Test
    public void b4_udpBlastAtASlowClientIsDroppedNotQueued() throws Exception {
        check("B4", "a UDP peer blasts datagrams (1 KiB, as fast as it can, 3 s) at a client that does not read",
                "excess datagrams dropped (by the kernel: peer reads stop while the client is unwritable); no unbounded"
                + " queue; the canary is unaffected", () -> {
            AtomicInteger blasted = new AtomicInteger();
            DatagramSocket udp = new DatagramSocket(new InetSocketAddress(Ports.LOOPBACK, 0));
            Thread blaster = new Thread(() -> {
                try {
                    DatagramPacket first = new DatagramPacket(new byte[2048], 2048);
                    udp.receive(first);
                    byte[] d = new byte[1024];
                    long end = System.nanoTime() + 3_000_000_000L;
                    while (System.nanoTime() < end) {
                        udp.send(new DatagramPacket(d, d.length, first.getSocketAddress()));
                        blasted.incrementAndGet();
                    }
                } catch (IOException e) {
                    // closed
                }
            }, "udp-blaster");
            blaster.setDaemon(true);
            blaster.start();
            try {
                int p = bridge.listener(bridge.defaultBackend("udp://127.0.0.1:" + udp.getLocalPort(), "framing", "binary"));
                long heap0 = usedHeapAfterGc();
                long direct0 = LimitsIT.nettyDirect();
                try (Socket s = slowClient(p)) {
                    s.getOutputStream().write(WsFrame.binary(ascii("start")).bytes());
                    blaster.join(10_000);
                    long heap = usedHeapAfterGc() - heap0;
                    long direct = LimitsIT.nettyDirect() - direct0;
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    s.setSoTimeout(2000);
                    long got = readUntilQuiet(in);
                    assertTrue("heap bounded while blasted: +" + (heap >> 20) + " MiB", heap < 64L << 20);
                    assertTrue("client got some datagrams", got > 0);
                    assertTrue("most were dropped, not queued: " + (got >> 10) + " of " + blasted.get() + " KiB",
                            got / 1024 < blasted.get());
                    s.getOutputStream().write(WsFrame.close(1000, "").bytes());
                    return blasted.get() + " datagrams blasted; client received " + (got >> 10) + " KiB afterwards; heap +"
                            + (heap >> 10) + " KiB, Netty pool +" + (direct >> 10) + " KiB during the blast";
                }
            } finally {
                udp.close();
            }
        });
    }

    @Test
    public void b5_fiveHundredPausedClients() throws Exception {
        check("B5", "B1 with 500 connections at once: each peer writes 1 MiB, no client reads for 3 s, then all read",
                "total memory within 500 x bound + baseline; no OOM; every byte arrives; the canary holds", () -> {
            int n = 500;
            int each = 1 << 20;
            TcpPeer peer = bridge.track(new TcpPeer(s -> {
                OutputStream out = s.getOutputStream();
                byte[] chunk = new byte[16384];
                for (int i = 0; i < each; i += chunk.length) {
                    out.write(chunk);
                }
                out.flush();
                s.getInputStream().readAllBytes();
            }, 1000));
            int p = bridge.listener(bridge.defaultBackend(peer.address(), "framing", "binary"));
            long heap0 = usedHeapAfterGc();
            long direct0 = LimitsIT.nettyDirect();
            List<Socket> clients = new ArrayList<>();
            ExecutorService readers = Executors.newFixedThreadPool(32);
            try {
                for (int i = 0; i < n; i++) {
                    clients.add(slowClient(p));
                }
                Thread.sleep(3000);                                 // the pause under test, not a synchronisation
                long heap = usedHeapAfterGc() - heap0;
                long direct = LimitsIT.nettyDirect() - direct0;
                // bound per bridge: the 64 KiB high watermark + one read buffer, with pool granularity on top
                assertTrue("heap +" + (heap >> 20) + " MiB with 500 paused bridges", heap < 256L << 20);
                assertTrue("Netty pool +" + (direct >> 20) + " MiB with 500 paused bridges", direct < 256L << 20);
                List<Future<Long>> reads = new ArrayList<>();
                for (Socket s : clients) {
                    reads.add(readers.submit(() -> readPayload(new DataInputStream(s.getInputStream()), each)));
                }
                long total = 0;
                for (Future<Long> f : reads) {
                    long got = f.get(120, TimeUnit.SECONDS);
                    assertEquals("bytes per client", each, got);
                    total += got;
                }
                return n + " bridges paused: heap +" + (heap >> 20) + " MiB, Netty pool +" + (direct >> 20) + " MiB; then "
                        + (total >> 20) + " MiB delivered";
            } finally {
                readers.shutdownNow();
                for (Socket s : clients) {
                    s.close();
                }
            }
        });
    }
}
