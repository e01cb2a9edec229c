package io.websocksy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.websocksy.api.backend.Route;
import io.websocksy.api.peer.PeerAddress;
import io.websocksy.itests.support.BlackholePeer;
import io.websocksy.itests.support.Bridge;
import io.websocksy.itests.support.Dns;
import io.websocksy.itests.support.Ports;
import io.websocksy.itests.support.RawHttp;
import io.websocksy.itests.support.RawHttp.Request;
import io.websocksy.itests.support.RawHttp.Response;
import io.websocksy.itests.support.TcpPeer;

/** SPEC §1 / RELIABILITY H, P: the opening handshake and every HTTP error answer. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HandshakeIT extends BridgeTestBase {
    @Override
    protected String[] framers() {
        return new String[] {"auto"};
    }

    /** Driver side: runs for the whole class, on 127.0.0.1 only. */

    private TcpPeer echo;
    private int port;

    @Before
    public void setUp() throws Exception {
        echo = bridge.track(TcpPeer.echo());
        port = bridge.listener(bridge.defaultBackend(echo.address()));
    }

    /** INV-4: no 101, valid HTTP/1.1 status line, Content-Length, Connection: close, TCP closed after. */
    static void assertError(Response r, int status) {
        assertEquals("status of " + r, status, r.status);
        assertTrue("HTTP/1.1 status line: " + r, r.statusLine.startsWith("HTTP/1.1 " + status));
        assertNotNull("Content-Length on " + r, r.header("Content-Length"));
        assertTrue("Connection: close on " + r, r.hasToken("Connection", "close"));
        assertTrue("server closes the connection after " + r, r.closedAfter);
    }

    @Test
    public void h01_rfcExampleKeyGets101WithAccept() throws IOException {
        Response r = RawHttp.exchange(port, Request.upgrade(port));
        assertEquals(r.toString(), 101, r.status);
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", r.header("Sec-WebSocket-Accept"));
        assertTrue(r.toString(), r.hasToken("Upgrade", "websocket"));
        assertTrue(r.toString(), r.hasToken("Connection", "upgrade"));
        assertNull("no subprotocol offered, none answered: " + r, r.header("Sec-WebSocket-Protocol"));
    }

    @Test
    public void h09_unsupportedVersionGets426WithVersion13() throws IOException {
        for (String v : new String[] {"8", "7", "0", "14", "abc"}) {
            Response r = RawHttp.exchange(port, Request.upgrade(port).set("Sec-WebSocket-Version", v));
            assertError(r, 426);
            assertEquals("Sec-WebSocket-Version on the 426 for version " + v, "13",
                    r.header("Sec-WebSocket-Version"));
        }
    }

    @Test
    public void h08_missingVersionGets400() throws IOException {
        assertError(RawHttp.exchange(port, Request.upgrade(port).remove("Sec-WebSocket-Version")), 400);
    }

    @Test
    public void h07_missingKeyGets400() throws IOException {
        assertError(RawHttp.exchange(port, Request.upgrade(port).remove("Sec-WebSocket-Key")), 400);
    }

    @Test
    public void h07_invalidKeyGets400() throws IOException {
        String fifteenBytes = Base64.getEncoder().encodeToString(new byte[15]);
        for (String key : new String[] {"x", "!!not*base64!!!!!!!!!!==", fifteenBytes}) {
            Response r = RawHttp.exchange(port, Request.upgrade(port).set("Sec-WebSocket-Key", key));
            assertEquals("key '" + key + "': " + r, 400, r.status);
            assertError(r, 400);
        }
    }

    @Test
    public void h11_missingUpgradeGets400() throws IOException {
        assertError(RawHttp.exchange(port, Request.upgrade(port).remove("Upgrade")), 400);
    }

    @Test
    public void h11_upgradeNotWebsocketGets400() throws IOException {
        assertError(RawHttp.exchange(port, Request.upgrade(port).set("Upgrade", "h2c")), 400);
    }

    @Test
    public void h12_missingConnectionGets400() throws IOException {
        assertError(RawHttp.exchange(port, Request.upgrade(port).remove("Connection")), 400);
    }

    @Test
    public void h12_connectionWithoutUpgradeTokenGets400() throws IOException {
        assertError(RawHttp.exchange(port, Request.upgrade(port).set("Connection", "notupgraded")), 400);
    }

    @Test
    public void h05_http10Gets400() throws IOException {
        assertError(RawHttp.exchange(port, Request.upgrade(port).version("HTTP/1.0")), 400);
    }

    @Test
    public void h06_missingHostGets400() throws IOException {
        assertError(RawHttp.exchange(port, Request.upgrade(port).remove("Host")), 400);
    }

    @Test
    public void h04_postGets405WithAllowGet() throws IOException {
        Response r = RawHttp.exchange(port, Request.upgrade(port).method("POST"));
        assertError(r, 405);
        assertEquals("Allow on " + r, "GET", r.header("Allow"));
    }

    @Test
    public void h14_longRequestLineGets414() throws IOException {
        String target = "/" + "a".repeat(5000);
        assertError(RawHttp.exchange(port, Request.upgrade(port).target(target)), 414);
    }

    @Test
    public void h15_headerSectionOver8KiBGets431() throws IOException {
        Request req = Request.upgrade(port);
        for (int i = 0; i < 10; i++) {
            req.add("X-Pad-" + i, "p".repeat(1000));   // 10 fields, about 10 KiB
        }
        assertError(RawHttp.exchange(port, req), 431);
    }

    @Test
    public void h15_over100HeaderFieldsGets431() throws IOException {
        Request req = Request.upgrade(port);
        for (int i = 0; i < 150; i++) {
            req.add("x-h" + i, "x");                      // about 1.5 KiB, well under max-header-size
        }
        assertError(RawHttp.exchange(port, req), 431);
    }

    @Test
    public void r_noRouteGets404() throws IOException {
        String be = bridge.registerBackend(req -> CompletableFuture.completedFuture(Optional.empty()));
        int p = bridge.listener(be);
        assertError(RawHttp.exchange(p, Request.upgrade(p)), 404);
    }

    @Test
    public void framerNotInstalledGets503() throws IOException {
        PeerAddress peer = PeerAddress.parse(echo.address());
        String be = bridge.registerBackend(req -> CompletableFuture.completedFuture(
                Optional.of(Route.to(peer).framer("no-such-framer").build())));
        int p = bridge.listener(be);
        assertError(RawHttp.exchange(p, Request.upgrade(p)), 503);
        assertEquals("the peer must not be contacted when the framer is missing", 0, echo.accepted());
    }

    @Test
    public void listenerWithUnknownBackendGets503() throws IOException {
        int p = bridge.listener(Bridge.uniqueName("no-such-backend-"));
        assertError(RawHttp.exchange(p, Request.upgrade(p)), 503);
    }

    @Test
    public void p01_peerRefusedGets502() throws IOException {
        int p = bridge.listener(bridge.defaultBackend("tcp://127.0.0.1:" + Ports.refusingPort()));
        assertError(RawHttp.exchange(p, Request.upgrade(p)), 502);
    }

    @Test
    public void p03_dnsNxdomainGets502() throws IOException {
        Dns.awaitTransportUsesStub(ctx);
        int p = bridge.listener(bridge.defaultBackend("tcp://no-such-host.invalid:9"));
        assertError(RawHttp.exchange(p, Request.upgrade(p)), 502);
    }

    @Test
    public void p02_connectTimeoutGets504() throws IOException {
        BlackholePeer hole = bridge.track(new BlackholePeer());
        int p = bridge.listener(bridge.defaultBackend("tcp://127.0.0.1:" + hole.port()), "connect-timeout", "1");
        long t0 = System.nanoTime();
        Response r = RawHttp.exchange(p, Request.upgrade(p));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertError(r, 504);
        assertTrue("504 after the 1 s connect timeout, not before: " + ms + " ms", ms >= 900);
        assertTrue("504 soon after the 1 s connect timeout: " + ms + " ms", ms < 6000);
    }

    @Test
    public void subprotocolStarChoosesFirstOffer() throws IOException {
        int p = bridge.listener(bridge.defaultBackend(echo.address(), "protocol", "*"));
        Response r = RawHttp.exchange(p, Request.upgrade(p).add("Sec-WebSocket-Protocol", "a, b"));
        assertEquals(r.toString(), 101, r.status);
        assertEquals(r.toString(), "a", r.header("Sec-WebSocket-Protocol"));
    }

    @Test
    public void noSubprotocolHeaderWhenNoneChosen() throws IOException {
        Response r = RawHttp.exchange(port, Request.upgrade(port).add("Sec-WebSocket-Protocol", "a"));
        assertEquals(r.toString(), 101, r.status);
        assertNull(r.toString(), r.header("Sec-WebSocket-Protocol"));
    }
}
