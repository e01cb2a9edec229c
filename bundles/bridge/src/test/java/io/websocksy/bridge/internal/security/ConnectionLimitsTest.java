package io.websocksy.bridge.internal.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.netty.channel.embedded.EmbeddedChannel;

/** Connection counting per listener and per client IP (docs/behaviour.md#security, docs/conformance.md D4). */
class ConnectionLimitsTest {
    @Test
    void perIpAndTotalAreEnforcedAndReleasedOnClose() throws Exception {
        ConnectionLimits l = new ConnectionLimits();
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress b = InetAddress.getByName("192.0.2.2");
        EmbeddedChannel a1 = new EmbeddedChannel();
        EmbeddedChannel a2 = new EmbeddedChannel();
        EmbeddedChannel b1 = new EmbeddedChannel();
        assertNull(l.tryAcquire(a1, a, 3, 1));
        String refused = l.tryAcquire(a2, InetAddress.getByName("::ffff:192.0.2.1"), 3, 1);
        assertNotNull(refused, "a mapped address counts as the IPv4 one");
        assertTrue(refused.contains("192.0.2.1") && refused.contains("max-connections-per-ip"), refused);
        assertNull(l.tryAcquire(b1, b, 3, 1));
        assertEquals(2, l.total());
        a1.close();
        assertEquals(0, l.of(a));
        assertNull(l.tryAcquire(a2, a, 3, 1), "released by the close");
        EmbeddedChannel c = new EmbeddedChannel();
        EmbeddedChannel d = new EmbeddedChannel();
        assertNull(l.tryAcquire(c, InetAddress.getByName("192.0.2.3"), 3, 0));
        String full = l.tryAcquire(d, InetAddress.getByName("192.0.2.4"), 3, 0);
        assertNotNull(full);
        assertTrue(full.contains("max-connections = 3"), full);
        a2.close();
        b1.close();
        c.close();
        d.close();
        assertEquals(0, l.total());
        assertEquals(0, l.addresses());
    }

    @Test
    void manyAbruptClosesLeaveZero() throws Exception {
        ConnectionLimits l = new ConnectionLimits();
        List<EmbeddedChannel> open = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            EmbeddedChannel ch = new EmbeddedChannel();
            if (l.tryAcquire(ch, InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >> 8), (byte) i}), 0, 2) == null) {
                open.add(ch);
            }
            // a close twice, and closing an unregistered channel, must not count twice
            if (i % 3 == 0) {
                ch.close();
                ch.close();
            }
        }
        open.forEach(EmbeddedChannel::close);
        assertEquals(0, l.total());
        assertEquals(0, l.addresses());
    }
}
