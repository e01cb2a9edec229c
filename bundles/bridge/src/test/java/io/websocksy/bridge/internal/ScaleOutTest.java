package io.websocksy.bridge.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.util.ReferenceCountUtil;
import io.websocksy.api.backend.BridgedConnection;
import io.websocksy.api.backend.PeerProxyProtocol;
import io.websocksy.api.backend.Route;
import io.websocksy.api.backend.RouteException;
import io.websocksy.api.backend.RouteWatch;
import io.websocksy.api.peer.PeerAddress;
import io.websocksy.bridge.internal.config.ListenerSettings;
import io.websocksy.bridge.internal.handshake.LogTarget;
import io.websocksy.bridge.internal.peer.PeerProxyHeader;

/** API 1.1 in the bridge: RouteException statuses, RouteWatch, peer PROXY headers, health-path, shutdown drain. */
class ScaleOutTest {
    private TestBridge bridge;
    private ServerSocket echo;

    @AfterEach
    void tearDown() throws Exception {
        if (bridge != null) {
            bridge.close();
        }
        if (echo != null) {
            echo.close();
        }
        LeakGuard.assertNoLeaks();
    }

    private TestBridge start(Map<String, Object> listener, Map<String, Object> transport) throws Exception {
        echo = Peers.tcpEcho();
        bridge = new TestBridge(listener, transport);
        return bridge;
    }

    private Route.Builder toEcho() {
        return Route.to(PeerAddress.parse("tcp://127.0.0.1:" + echo.getLocalPort()));
    }

    private void failingBackend(Throwable t) {
        bridge.backends.addBackend(new FakeRef<>(Map.of(io.websocksy.api.backend.Backend.NAME, "main")),
                req -> CompletableFuture.failedFuture(t));
    }

    private String answer(String request) throws Exception {
        try (RawClient c = new RawClient(bridge.port())) {
            c.send(request);
            return c.head();
        }
    }

    @Test
    void routeExceptionChoosesTheStatus() throws Exception {
        start(Map.of("ping", "0"), Map.of());
        failingBackend(new RouteException(403, "no token (query:token)"));
        assertTrue(answer(RawClient.upgrade("/")).startsWith("HTTP/1.1 403 "));
    }

    @Test
    void wrappedRouteExceptionStillChoosesTheStatus() throws Exception {
        start(Map.of("ping", "0"), Map.of());
        failingBackend(new java.util.concurrent.CompletionException(new RouteException(503, "store down")));
        assertTrue(answer(RawClient.upgrade("/")).startsWith("HTTP/1.1 503 "));
    }

    @Test
    void otherFailureIs500() throws Exception {
        start(Map.of("ping", "0"), Map.of());
        failingBackend(new IllegalStateException("boom"));
        assertTrue(answer(RawClient.upgrade("/")).startsWith("HTTP/1.1 500 "));
    }

    /** Records the watch calls. */
    static final class Recorder implements RouteWatch {
        final List<BridgedConnection> opened = new CopyOnWriteArrayList<>();
        final AtomicInteger ended = new AtomicInteger();

        @Override
        public void opened(BridgedConnection c) {
            opened.add(c);
        }

        @Override
        public void ended(BridgedConnection c) {
            assertTrue(opened.contains(c), "ended before opened");
            ended.incrementAndGet();
        }
    }

    @Test
    void watchSeesOpenedAndEndedOnceAndCanClose() throws Exception {
        start(Map.of("ping", "0"), Map.of());
        Recorder rec = new Recorder();
        bridge.backend("main", req -> Optional.of(toEcho().watch(rec).subprotocol("chat").build()));
        BridgeTest.Inbox inbox = new BridgeTest.Inbox();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("chat")
                .buildAsync(URI.create("ws://127.0.0.1:" + bridge.port() + "/"), inbox).get(10, TimeUnit.SECONDS);
        assertEquals("chat", ws.getSubprotocol());
        BridgeTest.waitFor(() -> rec.opened.size() == 1);
        BridgedConnection c = rec.opened.get(0);
        assertEquals("test", c.listener());
        assertThrows(IllegalArgumentException.class, () -> c.close(1011, "not for backends"));
        c.close(1008, "token revoked");
        assertEquals(1008, inbox.closed.get(10, TimeUnit.SECONDS));
        BridgeTest.waitFor(() -> rec.ended.get() == 1);
        c.close(1008, "again"); // after the end: nothing
        Thread.sleep(200);
        assertEquals(1, rec.ended.get());
        BridgeTest.waitFor(() -> bridge.connections.size() == 0);
    }

    @Test
    void failedHandshakeGetsNoWatchCalls() throws Exception {
        start(Map.of("ping", "0"), Map.of());
        Recorder rec = new Recorder();
        // a subprotocol the client does not offer: 500 after the look-up
        bridge.backend("main", req -> Optional.of(toEcho().watch(rec).subprotocol("mqtt").build()));
        assertTrue(answer(RawClient.upgrade("/")).startsWith("HTTP/1.1 500 "));
        Thread.sleep(200);
        assertTrue(rec.opened.isEmpty());
        assertEquals(0, rec.ended.get());
    }

    /** A peer that parses the PROXY header with netty-codec-haproxy's decoder, then echoes. */
    static final class ProxyPeer implements AutoCloseable {
        final NioEventLoopGroup group = new NioEventLoopGroup(1);
        final BlockingQueue<String> headers = new LinkedBlockingQueue<>();
        final Channel server;

        ProxyPeer() throws InterruptedException {
            server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new HAProxyMessageDecoder(), new ChannelInboundHandlerAdapter() {
                                private boolean seen;

                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    if (msg instanceof HAProxyMessage) {
                                        HAProxyMessage m = (HAProxyMessage) msg;
                                        seen = true;
                                        headers.add(m.protocolVersion() + " " + m.proxiedProtocol() + " "
                                                + m.sourceAddress() + ":" + m.sourcePort() + " -> "
                                                + m.destinationAddress() + ":" + m.destinationPort());
                                        m.release();
                                    } else if (msg instanceof ByteBuf && seen) {
                                        ctx.writeAndFlush(msg);
                                    } else {
                                        headers.add("data before any header");
                                        ReferenceCountUtil.release(msg);
                                        ctx.close();
                                    }
                                }
                            });
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
        }

        int port() {
            return ((java.net.InetSocketAddress) server.localAddress()).getPort();
        }

        @Override
        public void close() {
            server.close().syncUninterruptibly();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private void proxyHeaderRoundTrip(PeerProxyProtocol version, HAProxyProtocolVersion expected) throws Exception {
        start(Map.of("ping", "0"), Map.of());
        try (ProxyPeer peer = new ProxyPeer()) {
            bridge.backend("main", req -> Optional.of(Route.to(PeerAddress.parse("tcp://127.0.0.1:" + peer.port()))
                    .peerProxyProtocol(version).build()));
            BridgeTest.Inbox inbox = new BridgeTest.Inbox();
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + bridge.port() + "/"), inbox).get(10, TimeUnit.SECONDS);
            ws.sendText("after the header", true).get(5, TimeUnit.SECONDS);
            assertEquals("after the header", inbox.messages.poll(10, TimeUnit.SECONDS));
            String h = peer.headers.poll(10, TimeUnit.SECONDS);
            assertNotNull(h);
            assertTrue(h.startsWith(expected + " TCP4 127.0.0.1:"), h);
            assertTrue(h.endsWith(" -> 127.0.0.1:" + bridge.port()), h);
            ws.sendClose(1000, "").get(5, TimeUnit.SECONDS);
            inbox.closed.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void peerProxyProtocolV1() throws Exception {
        proxyHeaderRoundTrip(PeerProxyProtocol.V1, HAProxyProtocolVersion.V1);
    }

    @Test
    void peerProxyProtocolV2() throws Exception {
        proxyHeaderRoundTrip(PeerProxyProtocol.V2, HAProxyProtocolVersion.V2);
    }

    @Test
    void headerForMixedFamiliesIsTcp6() {
        HAProxyMessage m = PeerProxyHeader.message(PeerProxyProtocol.V2,
                new java.net.InetSocketAddress("127.0.0.1", 4000), new java.net.InetSocketAddress("::1", 8001));
        try {
            assertEquals("TCP6", m.proxiedProtocol().name());
            assertEquals("::ffff:127.0.0.1", m.sourceAddress());
        } finally {
            m.release();
        }
    }

    @Test
    void healthPathAnswersWithoutAskingTheBackend() throws Exception {
        start(Map.of("ping", "0", "health-path", "/healthz"), Map.of());
        AtomicInteger asked = new AtomicInteger();
        bridge.backend("main", req -> {
            asked.incrementAndGet();
            return Optional.of(toEcho().build());
        });
        String ok = answer("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(ok.startsWith("HTTP/1.1 200 OK"), ok);
        // with Upgrade it is a WebSocket like any other
        assertTrue(answer(RawClient.upgrade("/healthz")).startsWith("HTTP/1.1 101 "));
        assertEquals(1, asked.get());
        bridge.listener.healthDown();
        assertTrue(answer("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").startsWith("HTTP/1.1 503 "));
        // still accepting while only the health is down (drain-delay)
        assertTrue(answer(RawClient.upgrade("/")).startsWith("HTTP/1.1 101 "));
    }

    @Test
    void healthIs503WithoutTheBackend() throws Exception {
        start(Map.of("ping", "0", "health-path", "/healthz"), Map.of());
        String r = answer("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(r.startsWith("HTTP/1.1 503 "), r);
        bridge.backend("main", req -> Optional.of(toEcho().build()));
        assertTrue(answer("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").startsWith("HTTP/1.1 200 "));
    }

    @Test
    void healthPathMustBeAbsolute() {
        assertThrows(IllegalArgumentException.class,
                () -> new ListenerSettings(Map.of("service.pid", "websocksy.listener~x", "health-path", "healthz")));
    }

    @Test
    void shutdownDrainAcceptsDuringDelayThenClosesWith1001() throws Exception {
        start(Map.of("ping", "0", "health-path", "/healthz"), Map.of("drain-delay", "1", "drain-timeout", "1"));
        bridge.backend("main", req -> Optional.of(toEcho().build()));
        BridgeTest.Inbox inbox = new BridgeTest.Inbox();
        HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + bridge.port() + "/"), inbox).get(10, TimeUnit.SECONDS);
        int port = bridge.port();
        Thread drain = new Thread(bridge.transport.shutdownDrain()::run);
        long t0 = System.nanoTime();
        drain.start();
        BridgeTest.waitFor(() -> !bridge.listener.healthy());
        String health = answer("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        if (System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(900)) {
            // within the delay: 503 for the balancer, upgrades still served
            assertTrue(health.startsWith("HTTP/1.1 503 "), health);
        }
        assertEquals(1001, inbox.closed.get(20, TimeUnit.SECONDS));
        drain.join(20_000);
        assertFalse(drain.isAlive());
        assertTrue(System.nanoTime() - t0 >= TimeUnit.SECONDS.toNanos(2), "closed before delay + timeout");
        assertThrows(java.io.IOException.class, () -> new java.net.Socket("127.0.0.1", port).close());
    }

    @Test
    void handshakeLogLineShowsQueryNamesNotValues() {
        assertEquals("/vnc?token=\u2026&x", LogTarget.of("/vnc?token=s3cret&x"));
        assertEquals("/", LogTarget.of("/"));
        assertEquals("/a?", LogTarget.of("/a?"));
        assertFalse(LogTarget.of("/?a=1&token=s3cret").contains("s3cret"));
    }
}
