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

import io.websocksy.itests.support.RawHttp.Request;
import io.websocksy.itests.support.RawWs;
import io.websocksy.itests.support.TcpPeer;
import io.websocksy.itests.support.WsClient;
import io.websocksy.itests.support.WsClient.Closed;
import io.websocksy.itests.support.WsClient.Msg;

/** SPEC §2 "Closing" / RELIABILITY C1, C9, P10. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CloseIT extends BridgeTestBase {
    @Override
    protected String[] framers() {
        return new String[] {"auto"};
    }

    @Test
    public void c1_clientClose1000IsAnsweredWith1000() throws Exception {
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
    }

    @Test
    public void c9_peerEofDeliversPendingDataThenClose1000() throws Exception {
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
                    return;
                } else {
                    throw new AssertionError("unexpected event", (Throwable) e);
                }
            }
        }
    }

    @Test
    public void p10_peerResetMidStreamGivesClose1011() throws Exception {
        byte[] sent = new byte[64 * 1024];
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
                    return;
                } else {
                    throw new AssertionError("unexpected event", (Throwable) e);
                }
            }
        }
    }

    private static void awaitGo(InputStream in) throws IOException {
        byte[] want = "go".getBytes(StandardCharsets.US_ASCII);
        byte[] got = in.readNBytes(want.length);
        if (!Arrays.equals(want, got)) {
            throw new IOException("peer expected 'go', got " + new String(got, StandardCharsets.ISO_8859_1));
        }
    }

}
