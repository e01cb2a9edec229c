package io.websocksy.itests;

import static org.junit.Assert.assertEquals;

import java.net.Socket;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.websocksy.itests.support.SockWs;
import io.websocksy.itests.support.TcpPeer;

/**
 * SPEC 9 item 2: {@code allowed-origins} (exact and {@code *.domain}), {@code same-origin} and the
 * missing-Origin policy; a refused client gets 403 and its peer is never contacted.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OriginIT extends BridgeTestBase {
    @Override
    protected String[] framers() {
        return new String[] {"auto"};
    }

    private static String status(int port, String... headers) throws Exception {
        try (Socket s = SockWs.plain(port)) {
            String head = SockWs.exchange(s, SockWs.upgrade("/o", headers));
            return head.isEmpty() ? "closed" : head.substring(9, 12);
        }
    }

    @Test
    public void allowedDeniedAndMissing() throws Exception {
        TcpPeer echo = bridge.track(TcpPeer.echo());
        int strict = bridge.listener(bridge.defaultBackend(echo.address()), "allowed-origins",
                "https://app.example, *.trusted.example", "allow-missing-origin", "false");
        assertEquals("101", status(strict, "Origin: https://app.example"));
        assertEquals("101", status(strict, "Origin: https://a.b.trusted.example:8443"));
        int contacted = echo.acceptedSettled(2); // the two 101s above, counted by the peer thread after them
        assertEquals("403", status(strict, "Origin: https://evil.example"));
        assertEquals("403", status(strict, "Origin: https://trusted.example"));
        assertEquals("403", status(strict, "Origin: null"));
        assertEquals("403", status(strict));
        assertEquals("the peer is never contacted for a refused Origin", contacted, echo.accepted());
        int lenient = bridge.listener(bridge.defaultBackend(echo.address()), "allowed-origins", "https://app.example");
        assertEquals("101", status(lenient));
        assertEquals("403", status(lenient, "Origin: http://app.example"));
    }

    @Test
    public void sameOrigin() throws Exception {
        TcpPeer echo = bridge.track(TcpPeer.echo());
        int port = bridge.listener(bridge.defaultBackend(echo.address()), "same-origin", "true");
        // SockWs sends Host: localhost
        assertEquals("101", status(port, "Origin: http://localhost"));
        assertEquals("403", status(port, "Origin: http://localhost:1"));
        assertEquals("403", status(port, "Origin: https://evil.example"));
        assertEquals("101", status(port));
        int both = bridge.listener(bridge.defaultBackend(echo.address()), "same-origin", "true",
                "allowed-origins", "https://app.example", "allow-missing-origin", "false");
        assertEquals("101", status(both, "Origin: https://app.example"));
        assertEquals("101", status(both, "Origin: http://localhost"));
        assertEquals("403", status(both));
    }
}
