package io.websocksy.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.websocksy.itests.support.TcpPeer;
import io.websocksy.itests.support.UdpEchoPeer;
import io.websocksy.itests.support.UnixDgramEchoPeer;
import io.websocksy.itests.support.UnixStreamEchoPeer;
import io.websocksy.itests.support.WsClient;
import io.websocksy.itests.support.WsClient.Msg;

/** docs/behaviour.md#relay, §3: messages through every peer transport. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TransportsIT extends BridgeTestBase {
    @Override
    protected String[] framers() {
        return new String[] {"auto", "binary"};
    }

    private static final Duration T = Duration.ofSeconds(10);

    private void assertTextEcho(String peerAddress) throws Exception {
        int port = bridge.listener(bridge.defaultBackend(peerAddress));
        try (WsClient c = WsClient.connect(port, "/")) {
            c.sendText("hello");
            Msg m = c.nextMessage(T);
            assertTrue("auto framing sends valid UTF-8 as text: " + m, m.text);
            assertEquals("hello", m.string());
        }
    }

    @Test
    public void tcpTextEchoWithAutoFraming() throws Exception {
        assertTextEcho(bridge.track(TcpPeer.echo()).address());
    }

    @Test
    public void udpTextEcho() throws Exception {
        assertTextEcho(bridge.track(new UdpEchoPeer()).address());
    }

    @Test
    public void unixTextEcho() throws Exception {
        assertTextEcho(bridge.track(new UnixStreamEchoPeer()).address());
    }

    @Test
    public void unixDgramTextEcho() throws Exception {
        assertTextEcho(bridge.track(new UnixDgramEchoPeer()).address());
    }

    @Test
    public void tcpBinaryRoundTripWithBinaryFraming() throws Exception {
        TcpPeer echo = bridge.track(TcpPeer.echo());
        int port = bridge.listener(bridge.defaultBackend(echo.address(), "framing", "binary"));
        byte[] data = random(4096, 1);
        try (WsClient c = WsClient.connect(port, "/")) {
            c.sendBinary(data);
            assertArrayEquals(data, c.readBinary(data.length, T));
        }
    }

    @Test
    public void udpBinaryDatagramIsOneBinaryMessage() throws Exception {
        UdpEchoPeer echo = bridge.track(new UdpEchoPeer());
        int port = bridge.listener(bridge.defaultBackend(echo.address()));
        byte[] data = random(1200, 2);
        data[0] = (byte) 0xff;                              // never valid UTF-8: auto must send binary
        try (WsClient c = WsClient.connect(port, "/")) {
            c.sendBinary(data);
            Msg m = c.nextMessage(T);
            assertFalse("non-UTF-8 datagram comes back binary: " + m, m.text);
            assertArrayEquals("one datagram = one message", data, m.data);
        }
    }

    @Test
    public void tcpOneMiBBinaryMessageArrivesComplete() throws Exception {
        TcpPeer echo = bridge.track(TcpPeer.echo());
        int port = bridge.listener(bridge.defaultBackend(echo.address(), "framing", "binary"));
        byte[] data = random(1 << 20, 3);
        try (WsClient c = WsClient.connect(port, "/")) {
            c.sendBinary(data);                             // one frame of exactly max-frame-size
            byte[] back = c.readBinary(data.length, Duration.ofSeconds(30));
            assertEquals(data.length, back.length);
            assertArrayEquals(data, back);
        }
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }
}
