package io.websocksy.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.websocksy.itests.support.Chop;
import io.websocksy.itests.support.RawHttp.Request;
import io.websocksy.itests.support.RecordingPeer;
import io.websocksy.itests.support.WsFrame;
import io.websocksy.itests.support.RawWs;
import io.websocksy.itests.support.TcpPeer;
import io.websocksy.itests.support.WsClient;
import io.websocksy.itests.support.WsClient.Closed;
import io.websocksy.itests.support.WsClient.Msg;

/** SPEC §2 "Closing" / RELIABILITY group C (Autobahn 7.x), and P10. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CloseIT extends ConformanceBase {
    static final Duration T = Duration.ofSeconds(10);

    @Test
    public void c1_clientClose1000IsAnsweredWith1000() throws Exception {
        check("C1", "client Close 1000 'bye' after a message (7.1.1, 7.3.3, 7.3.4)",
                "Close 1000 echoed, TCP closed within 1 s; the peer gets the data, then EOF", () -> {
        CountDownLatch peerEof = new CountDownLatch(1);
        TcpPeer echo = bridge.track(new TcpPeer(s -> {
            TcpPeer.copyBack(s);
            peerEof.countDown();
        }));
        int port = bridge.listener(bridge.defaultBackend(echo.address()));
        try (RawWs ws = RawWs.open(port, Request.upgrade(port))) {
            ws.send(true, RawWs.TEXT, "hi".getBytes(StandardCharsets.UTF_8));
            RawWs.Frame echoed = ws.read(10_000);
            assertEquals("echo through the peer: " + echoed, RawWs.TEXT, echoed.opcode);
            assertEquals("hi", new String(echoed.payload, StandardCharsets.UTF_8));

            ws.sendClose(1000, "bye");
            RawWs.Frame close = ws.read(5_000);
            assertEquals("answer to a client close: " + close, RawWs.CLOSE, close.opcode);
            assertEquals("close code echoed: " + close, 1000, close.closeCode());
            assertTrue("server closes TCP soon after the close exchange", ws.closedByServerWithin(2_000));
        }
        assertTrue("the peer sees EOF after the client's close", peerEof.await(5, TimeUnit.SECONDS));
        return "close 1000 echoed, TCP closed, peer EOF";
        });
    }

    @Test
    public void c9_peerEofDeliversPendingDataThenClose1000() throws Exception {
        check("C9", "server-initiated close: the peer writes 10 KiB, then EOF",
                "client gets the 10 KiB, then Close 1000", () -> {
        byte[] tail = new byte[10 * 1024];
        for (int i = 0; i < tail.length; i++) {
            tail[i] = (byte) ('a' + i % 26);
        }
        TcpPeer peer = bridge.track(new TcpPeer(s -> {
            awaitGo(s.getInputStream());
            OutputStream out = s.getOutputStream();
            out.write(tail);
            out.flush();
            s.close();                                       // orderly FIN
        }));
        int port = bridge.listener(bridge.defaultBackend(peer.address()));
        try (WsClient c = WsClient.connect(port, "/")) {
            c.sendText("go");
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            while (true) {
                Object e = c.next(Duration.ofSeconds(10));
                if (e instanceof Msg) {
                    got.write(((Msg) e).data);
                } else if (e instanceof Closed) {
                    assertArrayEquals("all data before the close", tail, got.toByteArray());
                    assertEquals("close code after peer EOF: " + e, 1000, ((Closed) e).code);
                    return "10 KiB then " + e;
                } else {
                    throw new AssertionError("unexpected event", (Throwable) e);
                }
            }
        }
        });
    }

    @Test
    public void p10_peerResetMidStreamGivesClose1011() throws Exception {
        check("P10", "peer RST in the middle of a stream (after 1 MiB)",
                "data already read flushed to the client, then Close 1011 ('peer connection reset')", () -> {
        byte[] sent = new byte[1024 * 1024];
        Arrays.fill(sent, (byte) 'r');
        TcpPeer peer = bridge.track(new TcpPeer(s -> {
            awaitGo(s.getInputStream());
            OutputStream out = s.getOutputStream();
            out.write(sent);
            out.flush();
            s.setSoLinger(true, 0);                          // close with RST
            s.close();
        }));
        int port = bridge.listener(bridge.defaultBackend(peer.address()));
        try (WsClient c = WsClient.connect(port, "/")) {
            c.sendText("go");
            int got = 0;
            while (true) {
                Object e = c.next(Duration.ofSeconds(10));
                if (e instanceof Msg) {
                    for (byte b : ((Msg) e).data) {
                        if (b != 'r') {
                            fail("data not sent by the peer");
                        }
                    }
                    got += ((Msg) e).data.length;
                    assertTrue("no more data than the peer sent", got <= sent.length);
                } else if (e instanceof Closed) {
                    assertEquals("close code after peer reset: " + e, 1011, ((Closed) e).code);
                    return got + " of " + sent.length + " bytes, then " + e;
                } else {
                    throw new AssertionError("unexpected event", (Throwable) e);
                }
            }
        }
        });
    }

    /** A fresh connection to a recording peer (binary framing) with its peer side. */
    private RawWs openRec(RecordingPeer rec, int port, RecordingPeer.Conn[] pc) throws Exception {
        int index = rec.countSettled();
        RawWs ws = RawWs.open(port, Request.upgrade(port));
        pc[0] = rec.conn(index, T);
        return ws;
    }

    private int recListener(RecordingPeer rec, String... keys) throws Exception {
        return bridge.listener(bridge.defaultBackend(rec.address(), "framing", "binary"), keys);
    }

    @Test
    public void c2_emptyCloseIsAnswered() throws Exception {
        check("C2", "Close with an empty payload (7.3.1)", "answered with an empty Close or 1000", () -> {
            RecordingPeer rec = peer(false);
            int port = recListener(rec);
            RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
            try (RawWs ws = openRec(rec, port, pc)) {
                ws.send(WsFrame.of(WsFrame.CLOSE));
                RawWs.Outcome o = expectClose(ws, -1, 1000);
                assertPeerGot(pc[0], new byte[0]);
                return o.toString();
            }
        });
    }

    @Test
    public void c3_oneByteClosePayloadGets1002() throws Exception {
        check("C3", "Close with a 1-byte payload (7.3.2)", "close 1002", () -> {
            RecordingPeer rec = peer(false);
            int port = recListener(rec);
            RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
            try (RawWs ws = openRec(rec, port, pc)) {
                ws.sendHostile(WsFrame.of(WsFrame.CLOSE).payload(new byte[] {0x03}).bytes(), Chop.WHOLE, 0);
                RawWs.Outcome o = expectClose(ws, 1002);
                assertPeerGot(pc[0], new byte[0]);
                return o.toString();
            }
        });
    }

    @Test
    public void c4_closeReasonOf123And124Bytes() throws Exception {
        check("C4", "Close 1000 with a 123-byte reason / a 124-byte reason (7.3.5, 7.3.6)", "echo / close 1002", () -> {
            RecordingPeer rec = peer(false);
            int port = recListener(rec);
            RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
            String r123 = "r".repeat(123);
            String got;
            try (RawWs ws = openRec(rec, port, pc)) {
                ws.send(WsFrame.close(1000, r123));
                RawWs.Outcome o = expectClose(ws, 1000);
                assertEquals("reason echoed", r123, new String(o.close.payload, 2, o.close.payload.length - 2,
                        StandardCharsets.UTF_8));
                got = "123: " + o;
            }
            try (RawWs ws = openRec(rec, port, pc)) {
                ws.sendHostile(WsFrame.close(1000, "r".repeat(124)).bytes(), Chop.WHOLE, 0);
                return got + "; 124: " + expectClose(ws, 1002);
            }
        });
    }

    @Test
    public void c5_validCloseCodesAreEchoed() throws Exception {
        check("C5", "Close with valid codes 1000-1003, 1007-1011, 3000, 3999, 4000, 4999 (7.7.x)",
                "the code is echoed", () -> {
            RecordingPeer rec = peer(false);
            int port = recListener(rec);
            int[] codes = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999};
            for (int code : codes) {
                RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
                try (RawWs ws = openRec(rec, port, pc)) {
                    ws.send(WsFrame.close(code, ""));
                    expectClose(ws, code);
                    assertPeerGot(pc[0], new byte[0]);
                }
            }
            return codes.length + " codes echoed";
        });
    }

    @Test
    public void c6_invalidCloseCodesGet1002() throws Exception {
        check("C6", "Close with invalid codes 0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999 (7.9.x)", "close 1002", () -> {
            RecordingPeer rec = peer(false);
            int port = recListener(rec);
            int[] codes = {0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999};
            for (int code : codes) {
                RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
                try (RawWs ws = openRec(rec, port, pc)) {
                    ws.sendHostile(WsFrame.close(code, "").bytes(), Chop.WHOLE, 0);
                    try {
                        expectClose(ws, 1002);
                    } catch (AssertionError e) {
                        throw new AssertionError("code " + code + ": " + e.getMessage(), e);
                    }
                    assertPeerGot(pc[0], new byte[0]);
                }
            }
            return codes.length + " codes: close 1002 each";
        });
    }

    /** Issue 18: Netty's own check passes every code from 3000 up, so 5000 used to be echoed. */
    @Test
    public void c13_closeCodesFrom5000UpGet1002() throws Exception {
        check("C13", "Close with codes 5000, 5001, 9999, 65535 and 1015 (outside RFC 6455 7.4, Autobahn 7.13.x)",
                "close 1002, never the client's code echoed", () -> {
            RecordingPeer rec = peer(false);
            int port = recListener(rec);
            int[] codes = {5000, 5001, 9999, 65535, 1015};
            for (int code : codes) {
                for (Chop chop : new Chop[] {Chop.WHOLE, Chop.OCTETS}) {
                    RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
                    try (RawWs ws = openRec(rec, port, pc)) {
                        ws.sendHostile(WsFrame.close(code, "x").bytes(), chop, 0);
                        try {
                            expectClose(ws, 1002);
                        } catch (AssertionError e) {
                            throw new AssertionError("code " + code + " " + chop + ": " + e.getMessage(), e);
                        }
                        assertPeerGot(pc[0], new byte[0]);
                    }
                }
            }
            return codes.length + " codes, whole and octet by octet: close 1002 each";
        });
    }

    @Test
    public void c7_framesAfterCloseAreIgnored() throws Exception {
        check("C7", "second Close; Ping, Text and Binary after the Close (7.1.2-7.1.4)",
                "ignored: no Pong, nothing forwarded to the peer", () -> {
            RecordingPeer rec = peer(false);
            int port = recListener(rec);
            RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
            try (RawWs ws = openRec(rec, port, pc)) {
                ws.sendHostile(WsFrame.concat(WsFrame.close(1000, "first"), WsFrame.of(WsFrame.PING).payload(ascii("p")),
                        WsFrame.text("text"), WsFrame.binary(ascii("bin")), WsFrame.close(1001, "second")), Chop.WHOLE, 0);
                RawWs.Outcome o = expectClose(ws, 1000);
                assertTrue("nothing before the close answer: " + o, o.before.isEmpty());
                assertPeerGot(pc[0], new byte[0]);
                return o + "; no pong, peer got nothing";
            }
        });
    }

    @Test
    public void c8_bigMessageThenCloseThenPing() throws Exception {
        check("C8", "256 KiB message immediately followed by Close, then Ping (7.1.6)",
                "the message reaches the peer; the Close is answered; no Pong", () -> {
            RecordingPeer rec = peer(false);
            int port = recListener(rec);
            byte[] big = new byte[256 << 10];
            new java.util.SplittableRandom(8).nextBytes(big);
            RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
            try (RawWs ws = openRec(rec, port, pc)) {
                ws.sendHostile(WsFrame.concat(WsFrame.binary(big), WsFrame.close(1000, ""),
                        WsFrame.of(WsFrame.PING).payload(ascii("late"))), Chop.WHOLE, 0);
                RawWs.Outcome o = expectClose(ws, 1000);
                assertTrue("no pong: " + o, o.before.isEmpty());
                assertPeerGot(pc[0], big);
                return o + "; 256 KiB at the peer";
            }
        });
    }

    @Test
    public void c10_listenerRemovedClosesEveryClientWith1001() throws Exception {
        check("C10", "config-driven listener close (configuration deleted) with 3 open bridges",
                "every client gets Close 1001; every peer closed within 5 s", () -> {
            RecordingPeer rec = peer(true);
            int port = recListener(rec);
            RawWs[] clients = new RawWs[3];
            RecordingPeer.Conn[] conns = new RecordingPeer.Conn[3];
            try {
                for (int i = 0; i < 3; i++) {
                    RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
                    clients[i] = openRec(rec, port, pc);
                    conns[i] = pc[0];
                    clients[i].send(WsFrame.binary(ascii("m" + i)));
                    assertArrayEquals(ascii("m" + i), clients[i].read(10_000).payload);
                }
                long t0 = System.nanoTime();
                bridge.deleteListener(port);
                for (int i = 0; i < 3; i++) {
                    RawWs.Outcome o = clients[i].awaitClose(5_000, 5_000);
                    assertEquals("client " + i + ": " + o, 1001, o.code());
                    assertTrue("client " + i + " TCP closed: " + o, o.tcpClosed);
                    assertTrue("peer " + i + " closed within 5 s", conns[i].awaitEnd(Duration.ofSeconds(5)));
                }
                return "3 clients got 1001, 3 peers closed, in " + (System.nanoTime() - t0) / 1_000_000 + " ms";
            } finally {
                for (RawWs c : clients) {
                    if (c != null) {
                        c.close();
                    }
                }
            }
        });
    }

    @Test
    public void c11_vanishedClientClosesThePeer() throws Exception {
        check("C11", "client vanishes: RST (SO_LINGER=0), and a silent client that stops answering pings (ping=1)",
                "the bridge closes; the peer is closed within ping interval + timeout", () -> {
            RecordingPeer rec = peer(true);
            int port = recListener(rec, "ping", "1");
            RecordingPeer.Conn[] pc = new RecordingPeer.Conn[1];
            RawWs ws = openRec(rec, port, pc);
            ws.send(WsFrame.binary(ascii("hi")));
            assertArrayEquals(ascii("hi"), ws.read(10_000).payload);
            ws.socket().setSoLinger(true, 0);
            ws.close();                                                   // RST
            assertTrue("peer closed after the client's RST", pc[0].awaitEnd(Duration.ofSeconds(5)));
            String rst = "RST: peer " + pc[0].end();
            // silent: the TCP connection stays up, but pings are never answered and nothing is read
            RecordingPeer.Conn[] pc2 = new RecordingPeer.Conn[1];
            long t0;
            try (RawWs silent = openRec(rec, port, pc2)) {
                t0 = System.nanoTime();
                assertTrue("peer closed within ping interval + timeout", pc2[0].awaitEnd(Duration.ofSeconds(6)));
            }
            return rst + "; silent client: peer closed after " + (System.nanoTime() - t0) / 1_000_000 + " ms (ping=1)";
        });
    }

    @Test
    public void c12_unansweredPingsClose1001AndOnlyUpgradedConnectionsArePinged() throws Exception {
        check("C12", "idle upgraded connection whose pings go unanswered (ping=1); an idle non-upgraded connection",
                "Close 1001 after the pong timeout; pings only on upgraded connections, at most one per interval", () -> {
            RecordingPeer rec = peer(true);
            int port = recListener(rec, "ping", "1", "handshake-timeout", "3");
            int pings = 0;
            RawWs.Outcome o;
            long t0 = System.nanoTime();
            try (RawWs ws = RawWs.open(port, Request.upgrade(port))) {
                while (true) {
                    RawWs.Frame f = ws.read(10_000);
                    if (f.opcode == RawWs.PING) {
                        pings++;
                        continue;
                    }
                    assertEquals("close after unanswered pings: " + f, RawWs.CLOSE, f.opcode);
                    assertEquals("close code: " + f, 1001, f.closeCode());
                    break;
                }
                assertTrue("TCP closed after the close", ws.closedByServerWithin(7_000));
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue("at most one ping per interval: " + pings + " pings in " + ms + " ms", pings >= 1 && pings <= 1 + ms / 1000);
            // a connection that never upgrades gets no WebSocket frame, only the handshake timeout
            try (java.net.Socket s = new java.net.Socket(io.websocksy.itests.support.Ports.LOOPBACK, port)) {
                s.setSoTimeout(10_000);
                byte[] all = s.getInputStream().readAllBytes();
                assertTrue("no WebSocket frame on a non-upgraded connection: " + new String(all, StandardCharsets.ISO_8859_1),
                        all.length == 0 || new String(all, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 408"));
            }
            return pings + " ping(s), then close 1001 after " + ms + " ms; the non-upgraded connection got no frame";
        });
    }

    private static void awaitGo(InputStream in) throws IOException {
        byte[] want = "go".getBytes(StandardCharsets.US_ASCII);
        byte[] got = in.readNBytes(want.length);
        if (!Arrays.equals(want, got)) {
            throw new IOException("peer expected 'go', got " + new String(got, StandardCharsets.ISO_8859_1));
        }
    }

}
