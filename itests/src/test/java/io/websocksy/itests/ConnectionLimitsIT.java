package io.websocksy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.websocksy.itests.support.Poll;
import io.websocksy.itests.support.SockWs;
import io.websocksy.itests.support.TcpPeer;

/** SPEC 9 and RELIABILITY D4: max-connections-per-ip / max-connections, 503 with Retry-After, counters after RSTs. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConnectionLimitsIT extends BridgeTestBase {
    @Override
    protected String[] framers() {
        return new String[] {"auto"};
    }

    private static boolean upgrades(int port) {
        try (Socket s = SockWs.plain(port)) {
            return SockWs.exchange(s, SockWs.upgrade("/probe")).startsWith("HTTP/1.1 101");
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    public void d4_perIpLimitReachedAndReleased() throws Exception {
        TcpPeer echo = bridge.track(TcpPeer.echo());
        int port = bridge.listener(bridge.defaultBackend(echo.address()), "max-connections-per-ip", "3",
                "retry-after", "9");
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Socket s = SockWs.plain(port);
                assertTrue(SockWs.exchange(s, SockWs.upgrade("/c" + i)).startsWith("HTTP/1.1 101"));
                open.add(s);
            }
            // the peer's accept thread may not have counted the third connection yet: let it settle
            int peerConnections = echo.acceptedSettled(3);
            try (Socket extra = SockWs.plain(port)) {
                String head = SockWs.exchange(extra, SockWs.upgrade("/extra"));
                assertTrue(head, head.startsWith("HTTP/1.1 503"));
                assertTrue(head, head.contains("\r\nRetry-After: 9\r\n"));
            }
            assertEquals("the peer is not contacted for a refused client", peerConnections, echo.accepted());
            // one client resets abruptly: its slot comes back
            open.get(0).setSoLinger(true, 0);
            open.remove(0).close();
            Poll.until(Duration.ofSeconds(10), "a slot is free after the RST", () -> {
                try (Socket s = SockWs.plain(port)) {
                    return SockWs.exchange(s, SockWs.upgrade("/again")).startsWith("HTTP/1.1 101");
                } catch (Exception e) {
                    return false;
                }
            });
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    @Test
    public void d4_countersReturnToZeroAfterManyResets() throws Exception {
        TcpPeer echo = bridge.track(TcpPeer.echo());
        int port = bridge.listener(bridge.defaultBackend(echo.address()), "max-connections", "4",
                "max-connections-per-ip", "2");
        for (int round = 0; round < 100; round++) {
            List<Socket> batch = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Socket s = SockWs.plain(port);
                s.getOutputStream().write(SockWs.upgrade("/rst").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                batch.add(s);
            }
            for (Socket s : batch) {
                s.setSoLinger(true, 0);
                s.close();   // RST, some before and some after the 101
            }
        }
        // when every reset was released, two clients from this address are admitted again
        Poll.until(Duration.ofSeconds(20), "counters back to zero", () -> {
            try (Socket a = SockWs.plain(port); Socket b = SockWs.plain(port)) {
                return SockWs.exchange(a, SockWs.upgrade("/a")).startsWith("HTTP/1.1 101")
                        && SockWs.exchange(b, SockWs.upgrade("/b")).startsWith("HTTP/1.1 101");
            } catch (Exception e) {
                return false;
            }
        });
        Poll.until(Duration.ofSeconds(10), "released again after the probe", () -> upgrades(port));
    }
}
