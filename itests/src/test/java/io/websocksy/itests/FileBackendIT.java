package io.websocksy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.websocksy.itests.support.RawHttp;
import io.websocksy.itests.support.RawHttp.Request;
import io.websocksy.itests.support.RawWs;
import io.websocksy.itests.support.TcpPeer;

/**
 * docs/behaviour.md#backends, #relay, the file backend in the real runtime: routing by path, cookie, header and query;
 * subprotocol selection; docs/conformance.md R1, R2, R6 and R8 through real connections.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FileBackendIT extends BridgeTestBase {
    private Path root;
    private Path base;
    private TcpPeer peerA;
    private TcpPeer peerB;
    private TcpPeer outside;

    @Override
    protected String[] framers() {
        return new String[] {"auto", "binary"};
    }

    @Before
    public void routes() throws IOException {
        root = Files.createTempDirectory("websocksy-file-it");
        base = Files.createDirectory(root.resolve("routes"));
        peerA = bridge.track(greeter("peer-A"));
        peerB = bridge.track(greeter("peer-B"));
        outside = bridge.track(greeter("outside"));
        write(base.resolve("a.txt"), "# the A route\n\n" + peerA.address() + " *\n");
        write(base.resolve("b.txt"), peerB.address() + " *\n");
        write(base.resolve("default.txt"), peerA.address() + " *\n");
        write(base.resolve("protos.txt"), "# first line whose subprotocol is offered wins\n"
                + peerA.address() + " chat\n" + peerB.address() + " mqtt binary\n");
        write(base.resolve("nosuchframer.txt"), peerA.address() + " * nosuchframer\n");
        // a route file outside the base, where the C original's traversal would land
        write(root.resolve("secret.txt"), outside.address() + " *\n");
        Files.createSymbolicLink(base.resolve("link.txt"), root.resolve("secret.txt"));
    }

    @After
    public void removeRoutes() throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    public void endpointRoutesByPathAndFallsBackToTheNextTemplate() throws Exception {
        int port = bridge.listener(bridge.fileBackend(base.toString(), "%endpoint%.txt", "default.txt"));
        assertEquals("peer-A", greeting(port, Request.upgrade(port).target("/a")));
        assertEquals("peer-B", greeting(port, Request.upgrade(port).target("/b/")));
        assertEquals("query excluded", "peer-B", greeting(port, Request.upgrade(port).target("/b?x=1")));
        assertEquals("missing file: next template", "peer-A", greeting(port, Request.upgrade(port).target("/zz")));
    }

    @Test
    public void cookieHeaderAndQueryVariables() throws Exception {
        int port = bridge.listener(bridge.fileBackend(base.toString(),
                "%cookie:route%.txt", "%header:X-Route%.txt", "%query:token%.txt"));
        assertEquals("peer-B", greeting(port, Request.upgrade(port).add("Cookie", "x=1; route=b")));
        assertEquals("peer-B", greeting(port, Request.upgrade(port).add("x-route", "b")));
        assertEquals("peer-A", greeting(port, Request.upgrade(port).target("/?token=a")));
        RawHttp.Response none = RawHttp.exchange(port, Request.upgrade(port));
        assertEquals("every variable missing: " + none, 404, none.status);
    }

    @Test
    public void subprotocolSelection() throws Exception {
        int port = bridge.listener(bridge.fileBackend(base.toString(), "protos.txt"));
        try (RawWs ws = RawWs.open(port, Request.upgrade(port).add("Sec-WebSocket-Protocol", "mqtt, other"))) {
            assertEquals(101, ws.handshake.status);
            assertEquals("mqtt", ws.handshake.header("Sec-WebSocket-Protocol"));
            RawWs.Frame f = ws.read(10_000);
            assertEquals("the mqtt line's framer is binary", RawWs.BINARY, f.opcode);
            assertEquals("peer-B", new String(f.payload, StandardCharsets.US_ASCII));
        }
        try (RawWs ws = RawWs.open(port, Request.upgrade(port))) {
            assertEquals(101, ws.handshake.status);
            assertNull("no offer: first line, no subprotocol", ws.handshake.header("Sec-WebSocket-Protocol"));
            assertEquals("peer-A", new String(ws.read(10_000).payload, StandardCharsets.US_ASCII));
        }
    }

    @Test
    public void r2_theOriginalsCookieTraversalGets404() throws Exception {
        int port = bridge.listener(bridge.fileBackend(base.toString(), "%cookie:a%/%cookie:b%.txt"));
        RawHttp.Response r = RawHttp.exchange(port, Request.upgrade(port).add("Cookie", "a=..; b=secret"));
        assertEquals("../secret.txt must not be read: " + r, 404, r.status);
        assertEquals("the peer outside the base was never contacted", 0, outside.accepted());
    }

    @Test
    public void r1_encodedTraversalInThePathGets404() throws Exception {
        int port = bridge.listener(bridge.fileBackend(base.toString(), "%endpoint%.txt"));
        for (String target : new String[] {"/../secret", "/%2e%2e/secret", "/%2E%2E%2Fsecret", "/..%2fsecret",
                "/%252e%252e/secret", "/a%00", "/..%5csecret"}) {
            RawHttp.Response r = RawHttp.exchange(port, Request.upgrade(port).target(target));
            int status = r.status;
            if (status != 404 && status != 400) {
                throw new AssertionError(target + ": expected 404 (or 400), got " + r);
            }
        }
        assertEquals("the peer outside the base was never contacted", 0, outside.accepted());
    }

    @Test
    public void r6_aSymlinkLeadingOutOfTheBaseIsRefused() throws Exception {
        int port = bridge.listener(bridge.fileBackend(base.toString(), "%endpoint%.txt"));
        RawHttp.Response r = RawHttp.exchange(port, Request.upgrade(port).target("/link"));
        assertEquals("symlink out of the base: " + r, 404, r.status);
        assertEquals(0, outside.accepted());
    }

    @Test
    public void r8_aRouteNamingAnUninstalledFramerGets503NotAuto() throws Exception {
        int port = bridge.listener(bridge.fileBackend(base.toString(), "%endpoint%.txt"));
        RawHttp.Response r = RawHttp.exchange(port, Request.upgrade(port).target("/nosuchframer"));
        assertEquals("framer not installed: " + r, 503, r.status);
        assertEquals("no connect for a route that cannot be served", 0, peerA.accepted());
    }

    private static TcpPeer greeter(String tag) throws IOException {
        return new TcpPeer(s -> {
            OutputStream out = s.getOutputStream();
            out.write(tag.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            TcpPeer.copyBack(s);
        });
    }

    private static String greeting(int port, Request request) throws IOException {
        try (RawWs ws = RawWs.open(port, request)) {
            assertEquals("handshake: " + ws.handshake, 101, ws.handshake.status);
            RawWs.Frame f = ws.read(10_000);
            return new String(f.payload, StandardCharsets.US_ASCII);
        }
    }

    private static void write(Path p, String s) throws IOException {
        Files.write(p, s.getBytes(StandardCharsets.UTF_8));
    }
}
