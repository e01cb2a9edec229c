package io.websocksy.bridge.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import io.websocksy.api.backend.Route;
import io.websocksy.api.peer.PeerAddress;

/** Datagram transports, peer end-of-stream and reset, and flow control, through real sockets. */
class PeerBehaviourTest {
    private TestBridge bridge;

    @AfterEach
    void tearDown() throws Exception {
        if (bridge != null) {
            bridge.close();
        }
        LeakGuard.assertNoLeaks();
    }

    private void routeTo(String address) throws Exception {
        bridge = new TestBridge(Map.of("ping", "0"));
        bridge.backend("main", req -> Optional.of(Route.to(PeerAddress.parse(address)).build()));
    }

    private RawClient open() throws Exception {
        RawClient c = new RawClient(bridge.port());
        c.send(RawClient.upgrade("/"));
        String head = c.head();
        assertTrue(head.startsWith("HTTP/1.1 101 "), head);
        return c;
    }

    @Test
    void udpOneMessageIsOneDatagramAndBack() throws Exception {
        try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread echo = new Thread(() -> {
                byte[] b = new byte[65536];
                try {
                    while (true) {
                        DatagramPacket p = new DatagramPacket(b, b.length);
                        peer.receive(p);
                        peer.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
                    }
                } catch (Exception e) {
                    // closed
                }
            });
            echo.setDaemon(true);
            echo.start();
            routeTo("udp://127.0.0.1:" + peer.getLocalPort());
            try (RawClient c = open()) {
                c.frame(0x1, false, "hel".getBytes(StandardCharsets.UTF_8));
                c.frame(0x0, true, "lo".getBytes(StandardCharsets.UTF_8));
                RawClient.Frame f = c.readFrame();
                assertEquals(0x1, f.opcode);
                assertEquals("hello", f.text(), "two fragments are one datagram, echoed as one message");
            }
        }
    }

    @Test
    void unixDatagramRepliesReachTheClient() throws Exception {
        Path dir = Files.createTempDirectory("wsy-dg");
        String path = dir.resolve("peer.sock").toString();
        EpollEventLoopGroup g = new EpollEventLoopGroup(1);
        try {
            Channel peer = new Bootstrap().group(g).channel(EpollDomainDatagramChannel.class)
                    .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket p) {
                            ctx.writeAndFlush(new DomainDatagramPacket(p.content().retain(), p.sender()));
                        }
                    }).bind(new DomainSocketAddress(path)).sync().channel();
            routeTo("unix-dgram://" + path);
            try (RawClient c = open()) {
                c.frame(0x1, true, "hello".getBytes(StandardCharsets.UTF_8));
                RawClient.Frame f = c.readFrame();
                assertEquals(0x1, f.opcode);
                assertEquals("hello", f.text());
            }
            peer.close().sync();
        } finally {
            g.shutdownGracefully().sync();
        }
    }

    @Test
    void peerEndOfStreamFlushesThenCloses1000() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = ss.accept(); OutputStream out = s.getOutputStream()) {
                    out.write("banner".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (Exception e) {
                    // ignore
                }
            });
            t.setDaemon(true);
            t.start();
            routeTo("tcp://127.0.0.1:" + ss.getLocalPort());
            try (RawClient c = open()) {
                StringBuilder got = new StringBuilder();
                RawClient.Frame f;
                while ((f = c.readFrame()).opcode != 0x8) {
                    got.append(f.text());
                }
                assertEquals("banner", got.toString());
                assertEquals(1000, f.closeCode());
                c.frame(0x8, true, new byte[] {0x03, (byte) 0xe8});
                assertTrue(c.closedByServer());
            }
        }
    }

    @Test
    void peerResetClosesWith1011() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try {
                    Socket s = ss.accept();
                    s.getOutputStream().write(new byte[1024]);
                    s.getOutputStream().flush();
                    Thread.sleep(200);
                    s.setSoLinger(true, 0);
                    s.close();
                } catch (Exception e) {
                    // ignore
                }
            });
            t.setDaemon(true);
            t.start();
            routeTo("tcp://127.0.0.1:" + ss.getLocalPort());
            try (RawClient c = open()) {
                int bytes = 0;
                RawClient.Frame f;
                while ((f = c.readFrame()).opcode != 0x8) {
                    bytes += f.payload.length;
                }
                assertEquals(1024, bytes);
                assertEquals(1011, f.closeCode());
            }
        }
    }

    @Test
    void slowClientBoundsMemoryAndLosesNothing() throws Exception {
        long total = 64L << 20;
        AtomicReference<byte[]> sent = new AtomicReference<>();
        try (ServerSocket ss = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = ss.accept(); OutputStream out = s.getOutputStream()) {
                    MessageDigest md = MessageDigest.getInstance("SHA-256");
                    Random r = new Random(42);
                    byte[] b = new byte[65536];
                    for (long n = 0; n < total; n += b.length) {
                        r.nextBytes(b);
                        md.update(b);
                        out.write(b);
                    }
                    sent.set(md.digest());
                } catch (Exception e) {
                    // ignore
                }
            });
            t.setDaemon(true);
            t.start();
            bridge = new TestBridge(Map.of("ping", "0"));
            bridge.backend("main", req -> Optional.of(Route.to(PeerAddress.parse("tcp://127.0.0.1:" + ss.getLocalPort()))
                    .framer("binary").build()));
            try (RawClient c = open()) {
                c.socket.setReceiveBufferSize(16 * 1024);
                Thread.sleep(1500); // the client does not read; the bridge must stop reading the peer
                System.gc();
                long used = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
                assertTrue(used < 256L << 20, "heap " + used);
                assertTrue(sent.get() == null, "the peer must be blocked while the client does not read");
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                long got = 0;
                InputStream in = c.in;
                assertTrue(in != null);
                RawClient.Frame f;
                while (got < total && (f = c.readFrame()) != null && f.opcode != 0x8) {
                    md.update(f.payload);
                    got += f.payload.length;
                }
                assertEquals(total, got);
                BridgeTest.waitFor(() -> sent.get() != null);
                assertArrayEquals(sent.get(), md.digest());
            }
        }
    }

    @Test
    void slowPeerPausesTheClientAndLosesNothing() throws Exception {
        long total = 64L << 20;
        AtomicReference<byte[]> received = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();
        try (ServerSocket ss = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = ss.accept(); InputStream in = s.getInputStream()) {
                    Thread.sleep(1500); // do not read at first: the bridge must stop reading the client
                    MessageDigest md = MessageDigest.getInstance("SHA-256");
                    byte[] b = new byte[65536];
                    int n;
                    while ((n = in.read(b)) >= 0) {
                        md.update(b, 0, n);
                        if (count.addAndGet(n) == total) {
                            break;
                        }
                    }
                    received.set(md.digest());
                } catch (Exception e) {
                    // ignore
                }
            });
            t.setDaemon(true);
            t.start();
            routeTo("tcp://127.0.0.1:" + ss.getLocalPort());
            try (RawClient c = open()) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                Random r = new Random(7);
                byte[] chunk = new byte[60000];
                for (long n = 0; n < total;) {
                    int len = (int) Math.min(chunk.length, total - n);
                    byte[] part = len == chunk.length ? chunk : new byte[len];
                    r.nextBytes(part);
                    md.update(part);
                    c.frame(0x2, true, part);
                    n += len;
                }
                BridgeTest.waitFor(() -> received.get() != null);
                assertEquals(total, count.get());
                assertArrayEquals(md.digest(), received.get());
            }
        }
    }
}
