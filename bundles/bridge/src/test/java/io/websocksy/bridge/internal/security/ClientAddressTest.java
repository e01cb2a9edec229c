package io.websocksy.bridge.internal.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

import io.websocksy.bridge.internal.http.HttpHead;







/** Real client address from {@code X-Forwarded-For} / {@code Forwarded} behind trusted proxies. */
class ClientAddressTest {
    private static final ClientAddress.TrustedProxies TRUSTED =
            ClientAddress.TrustedProxies.parse("10.0.0.0/8, ::1");

    private static HttpHead head(String... headers) {
        HttpHead h = new HttpHead("GET", "/", "HTTP/1.1");
        for (String s : headers) {
            int c = s.indexOf(':');
            h.headers.add(new String[] {s.substring(0, c).trim(), s.substring(c + 1).trim()});
        }
        return h;
    }

    private static InetSocketAddress at(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    private static String real(InetSocketAddress tcp, String... headers) {
        return ClientAddress.format(ClientAddress.fromHeaders(tcp, head(headers), TRUSTED));
    }

    @Test
    void untrustedPeerHeadersAreIgnored() throws Exception {
        assertEquals("203.0.113.9:4000", real(at("203.0.113.9", 4000), "X-Forwarded-For: 1.2.3.4"));
        assertEquals("203.0.113.9:4000", real(at("203.0.113.9", 4000), "Forwarded: for=1.2.3.4"));
    }

    @Test
    void xForwardedForRightmostUntrustedHop() throws Exception {
        assertEquals("198.51.100.7:0", real(at("10.0.0.1", 4000), "X-Forwarded-For: 198.51.100.7"));
        // the client forged the first value; the proxy chain appended the real one
        assertEquals("198.51.100.7:0", real(at("10.0.0.1", 4000),
                "X-Forwarded-For: 6.6.6.6, 198.51.100.7", "X-Forwarded-For: 10.0.0.2"));
        assertEquals("[2001:db8::7]:555", real(at("::1", 1), "X-Forwarded-For: [2001:db8::7]:555"));
        // all hops trusted: the leftmost
        assertEquals("10.0.0.9:0", real(at("10.0.0.1", 4000), "X-Forwarded-For: 10.0.0.9, 10.0.0.2"));
        // garbage stops the walk at the last trusted hop
        assertEquals("10.0.0.1:4000", real(at("10.0.0.1", 4000), "X-Forwarded-For: 1.2.3.4, unknown"));
        assertEquals("10.0.0.1:4000", real(at("10.0.0.1", 4000), "X-Forwarded-For: 999.1.1.1"));
        assertEquals("10.0.0.1:4000", real(at("10.0.0.1", 4000)));
    }

    @Test
    void forwardedWinsOverXForwardedFor() throws Exception {
        assertEquals("192.0.2.60:0", real(at("10.0.0.1", 1),
                "Forwarded: for=192.0.2.60;proto=https;by=203.0.113.43", "X-Forwarded-For: 5.5.5.5"));
        assertEquals("[2001:db8:cafe::17]:4711", real(at("10.0.0.1", 1),
                "Forwarded: for=\"[2001:db8:cafe::17]:4711\", for=10.0.0.3"));
        assertEquals("10.0.0.1:1", real(at("10.0.0.1", 1), "Forwarded: for=_hidden"));
        assertEquals("198.51.100.1:0", real(at("10.0.0.1", 1), "Forwarded: For=\"198.51.100.1\";proto=http"));
    }

    @Test
    void hopParsing() {
        assertEquals(80, ClientAddress.parseHop("1.2.3.4:80").getPort());
        assertNull(ClientAddress.parseHop("1.2.3.4:99999"));
        assertNull(ClientAddress.parseHop("[::1"));
        assertNull(ClientAddress.parseHop("host.example"));
        assertEquals(0, ClientAddress.parseHop("::1").getPort());
        assertThrows(IllegalArgumentException.class, () -> ClientAddress.TrustedProxies.parse("proxy.example"));
    }
}
