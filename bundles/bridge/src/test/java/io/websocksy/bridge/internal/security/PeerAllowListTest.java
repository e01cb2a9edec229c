package io.websocksy.bridge.internal.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.websocksy.api.peer.Transport;

/** {@link PeerAllowList} and {@link IpRange}: parsing and matching (docs/behaviour.md#security, docs/conformance.md R9). */
class PeerAllowListTest {
    private static InetSocketAddress at(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    private static boolean tcp(PeerAllowList l, String host, String ip, int port) throws Exception {
        return l.checkInet(Transport.TCP, host, at(ip, port)) == null;
    }

    @Test
    void emptyAllowsAnything() throws Exception {
        PeerAllowList l = PeerAllowList.parse(null);
        assertTrue(l.isEmpty());
        assertTrue(tcp(l, "169.254.169.254", "169.254.169.254", 80));
        assertSame(PeerAllowList.ANY, PeerAllowList.parse(" , "));
    }

    private static void assertSame(Object a, Object b) {
        assertTrue(a == b);
    }

    @Test
    void ipv4HostPortCidrAndPortRanges() throws Exception {
        PeerAllowList l = PeerAllowList.parse("10.1.2.3:5900, 192.168.0.0/16:6000-6010, 172.16.0.0/12");
        assertTrue(tcp(l, "10.1.2.3", "10.1.2.3", 5900));
        assertFalse(tcp(l, "10.1.2.3", "10.1.2.3", 5901));
        assertFalse(tcp(l, "10.1.2.4", "10.1.2.4", 5900));
        assertTrue(tcp(l, "192.168.7.7", "192.168.7.7", 6000));
        assertTrue(tcp(l, "192.168.7.7", "192.168.7.7", 6010));
        assertFalse(tcp(l, "192.168.7.7", "192.168.7.7", 6011));
        assertTrue(tcp(l, "172.31.255.255", "172.31.255.255", 1));
        assertFalse(tcp(l, "172.32.0.0", "172.32.0.0", 1));
        // R9: metadata service, loopback, mapped loopback are all refused
        assertFalse(tcp(l, "169.254.169.254", "169.254.169.254", 80));
        assertFalse(tcp(l, "127.0.0.1", "127.0.0.1", 22));
        assertFalse(tcp(l, "::ffff:127.0.0.1", "::ffff:127.0.0.1", 22));
    }

    @Test
    void mappedIpv6IsComparedAsIpv4() throws Exception {
        PeerAllowList l = PeerAllowList.parse("127.0.0.1:8080");
        assertTrue(tcp(l, "::ffff:127.0.0.1", "::ffff:127.0.0.1", 8080));
        PeerAllowList m = PeerAllowList.parse("[::ffff:10.0.0.0/104]:80");
        assertTrue(tcp(m, "10.9.9.9", "10.9.9.9", 80));
        assertFalse(tcp(m, "11.0.0.1", "11.0.0.1", 80));
    }

    @Test
    void ipv6() throws Exception {
        PeerAllowList l = PeerAllowList.parse("[::1]:5900,[2001:db8::/32]:443, fd00::/8");
        assertTrue(tcp(l, "::1", "::1", 5900));
        assertFalse(tcp(l, "::1", "::1", 22));
        assertTrue(tcp(l, "2001:db8:1::5", "2001:db8:1::5", 443));
        assertFalse(tcp(l, "2001:db9::5", "2001:db9::5", 443));
        assertTrue(tcp(l, "fdab::1", "fdab::1", 12345));
        assertFalse(tcp(l, "127.0.0.1", "127.0.0.1", 5900));
    }

    @Test
    void namesMatchTheRequestedNameAndTheMessageNamesTheResolvedAddress() throws Exception {
        PeerAllowList l = PeerAllowList.parse("vnc.internal:5900, *.svc.local:1-1024");
        assertTrue(tcp(l, "VNC.internal.", "10.0.0.1", 5900));
        assertFalse(tcp(l, "vnc.internal", "10.0.0.1", 5901));
        assertTrue(tcp(l, "a.b.svc.local", "10.0.0.2", 80));
        assertFalse(tcp(l, "svc.local", "10.0.0.2", 80), "*.domain never matches the bare domain");
        String why = l.checkInet(Transport.TCP, "evil.example", at("10.0.0.1", 5900));
        assertNotNull(why);
        assertTrue(why.contains("evil.example") && why.contains("10.0.0.1"), why);
        // a name never matches an IP entry by its text, only by what it resolved to
        PeerAllowList ip = PeerAllowList.parse("10.0.0.1:5900");
        assertTrue(tcp(ip, "rebind.example", "10.0.0.1", 5900));
        assertFalse(tcp(ip, "10.0.0.1.nip.io", "10.0.0.2", 5900));
    }

    @Test
    void transportPrefix() throws Exception {
        PeerAllowList l = PeerAllowList.parse("udp://10.0.0.1:53");
        assertNull(l.checkInet(Transport.UDP, "10.0.0.1", at("10.0.0.1", 53)));
        assertNotNull(l.checkInet(Transport.TCP, "10.0.0.1", at("10.0.0.1", 53)));
    }

    @Test
    void unixDirectoriesByRealPath(@TempDir Path tmp) throws Exception {
        Path allowed = Files.createDirectories(tmp.resolve("allowed"));
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.createFile(allowed.resolve("a.sock"));
        Files.createFile(other.resolve("b.sock"));
        Files.createSymbolicLink(allowed.resolve("link.sock"), other.resolve("b.sock"));
        PeerAllowList l = PeerAllowList.parse("unix://" + allowed);
        assertNull(l.checkUnix(PeerAllowList.realPath(allowed + "/a.sock")));
        assertNotNull(l.checkUnix(PeerAllowList.realPath(allowed + "/../other/b.sock")));
        assertNotNull(l.checkUnix(PeerAllowList.realPath(allowed + "/link.sock")), "a symlink out is refused");
        assertNotNull(l.checkUnix(PeerAllowList.realPath(allowed.toString())), "the directory itself is no socket");
        assertNotNull(PeerAllowList.parse("10.0.0.0/8").checkUnix(PeerAllowList.realPath("/var/run/docker.sock")));
    }

    @Test
    void badEntriesAreNamed() {
        for (String bad : new String[] {"10.0.0.0/33", "[::1", "host:99999", "host:10-5", "foo://x:1", "unix:relative",
                "bad host:1", "1.2.3.4:", "[::1]x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeerAllowList.parse(bad), bad);
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void ipRanges() throws Exception {
        assertTrue(IpRange.parse("0.0.0.0/0").contains(InetAddress.getByName("8.8.8.8")));
        assertFalse(IpRange.parse("0.0.0.0/0").contains(InetAddress.getByName("::2")));
        assertTrue(IpRange.parse("::/0").contains(InetAddress.getByName("::2")));
        assertTrue(IpRange.parse("10.0.0.5/8").contains(InetAddress.getByName("10.255.0.1")));
        assertEquals("10.1.2.3", IpRange.format(InetAddress.getByName("::ffff:10.1.2.3")));
        assertThrows(IllegalArgumentException.class, () -> IpRange.parse("example.com"));
        assertThrows(IllegalArgumentException.class, () -> IpRange.parse("10.0.0.0/x"));
        assertThrows(IllegalArgumentException.class, () -> IpRange.parse("2130706433"));
    }
}
