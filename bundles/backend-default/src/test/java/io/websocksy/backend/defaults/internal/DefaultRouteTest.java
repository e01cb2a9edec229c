package io.websocksy.backend.defaults.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.websocksy.api.backend.Route;
import io.websocksy.api.peer.PeerAddress;
import io.websocksy.api.peer.Transport;

class DefaultRouteTest {

    private static DefaultRoute parse(String host, String port, String framing, String protocol) {
        return DefaultRoute.parse("main", host, port, framing, "", protocol);
    }

    /** A Config as SCR would build it: given keys (method names) override the annotation's defaults. */
    private static Config config(Map<String, String> values) {
        return (Config) Proxy.newProxyInstance(Config.class.getClassLoader(), new Class<?>[] {Config.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return Config.class;
                    }
                    if (method.getDeclaringClass() == Object.class || method.getDeclaringClass() == Annotation.class) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    String v = values.get(method.getName());
                    return v != null ? v : method.getDefaultValue();
                });
    }

    @Test
    void defaultsAreTheOriginalsNoArgumentBehaviour() {
        DefaultRoute r = DefaultRoute.parse(config(Map.of()));
        assertEquals("main", r.name());
        assertEquals(PeerAddress.parse("tcp://localhost:5900"), r.peer());
        assertEquals("auto", r.framing());
        assertEquals("", r.framingConfig());
        assertNull(r.protocol());
        assertTrue(r.warnings().isEmpty());

        Route route = r.route(new FakeRequest("x", "y"));
        assertEquals(Route.to(PeerAddress.parse("tcp://localhost:5900")).build(), route);
        assertEquals(Optional.empty(), route.subprotocol());
    }

    @Test
    void configKeysAreRead() {
        DefaultRoute r = DefaultRoute.parse(config(Map.of("name", " vnc ", "host", "unix:///run/x.sock",
                "framing", "separator", "framing$_$config", "\\n", "protocol", "mqtt")));
        assertEquals("vnc", r.name());
        assertEquals(Transport.UNIX, r.peer().transport());
        assertEquals("/run/x.sock", r.peer().path());
        assertEquals("separator", r.framing());
        assertEquals("\\n", r.framingConfig());
        assertEquals("mqtt", r.protocol());
        Route route = r.route(new FakeRequest());
        assertEquals("separator", route.framer());
        assertEquals("\\n", route.framerConfig());
    }

    @Test
    void missingPortDefaultsTo5900() {
        assertEquals(PeerAddress.parse("tcp://example.org:5900"), parse("tcp://example.org", "", "auto", "").peer());
        assertEquals(PeerAddress.parse("udp://[::1]:5900"), parse("udp://[::1]", null, "auto", "").peer());
    }

    @Test
    void explicitPortOverridesTheAddress() {
        assertEquals(PeerAddress.parse("tcp://localhost:7000"), parse("tcp://localhost:5901", "7000", "auto", "").peer());
        assertEquals(PeerAddress.parse("tcp://localhost:7000"), parse("tcp://localhost", " 7000 ", "auto", "").peer());
    }

    @Test
    void portIsIgnoredForUnixAddresses() {
        DefaultRoute r = parse("unix-dgram:///tmp/d.sock", "7000", "auto", "");
        assertEquals(PeerAddress.parse("unix-dgram:///tmp/d.sock"), r.peer());
        assertEquals(1, r.warnings().size());
    }

    @Test
    void addressWithoutSchemeIsTcpWithAWarning() {
        DefaultRoute r = parse("localhost:5901", "", "auto", "");
        assertEquals(PeerAddress.parse("tcp://localhost:5901"), r.peer());
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().get(0).contains("no scheme"), r.warnings().get(0));
    }

    @Test
    void badHostIsRejectedNamingKeyAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse("ftp://example.org", "", "auto", ""));
        assertTrue(e.getMessage().startsWith("host = 'ftp://example.org'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> parse("", "", "auto", ""));
        assertThrows(IllegalArgumentException.class, () -> parse("tcp://::1:5900", "", "auto", ""));
        assertThrows(IllegalArgumentException.class, () -> parse("tcp://host:0", "", "auto", ""));
    }

    @Test
    void badPortIsRejectedNamingKeyAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse("tcp://localhost", "70000", "auto", ""));
        assertTrue(e.getMessage().startsWith("port = '70000'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parse("tcp://localhost", "abc", "auto", ""));
        assertTrue(e.getMessage().startsWith("port = 'abc'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> parse("tcp://localhost", "0", "auto", ""));
        assertThrows(IllegalArgumentException.class, () -> parse("tcp://localhost", "-1", "auto", ""));
    }

    @Test
    void blankFramingOrNameIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse("tcp://localhost", "", "  ", ""));
        assertTrue(e.getMessage().startsWith("framing = '  '"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> DefaultRoute.parse(" ", "tcp://localhost", "", "auto", "", ""));
        assertTrue(e.getMessage().startsWith("name = ' '"), e.getMessage());
    }

    @Test
    void protocolThatIsNotATokenIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse("tcp://localhost", "", "auto", "mqtt, x"));
        assertTrue(e.getMessage().startsWith("protocol = 'mqtt, x'"), e.getMessage());
    }

    @Test
    void unsetProtocolChoosesNone() {
        DefaultRoute r = parse("tcp://localhost", "", "auto", "");
        assertNull(r.chooseSubprotocol(java.util.List.of("mqtt")));
        assertEquals(Optional.empty(), r.route(new FakeRequest("mqtt")).subprotocol());
        assertNull(parse("tcp://localhost", "", "auto", "   ").protocol());
        assertNull(parse("tcp://localhost", "", "auto", null).protocol());
    }

    @Test
    void namedProtocolEchoesTheClientsSpelling() {
        DefaultRoute r = parse("tcp://localhost", "", "binary", "mqtt");
        assertEquals(Optional.of("MQTT"), r.route(new FakeRequest("MQTT", "x")).subprotocol());
        assertEquals(Optional.of("mqtt"), r.route(new FakeRequest("x", "mqtt")).subprotocol());
    }

    @Test
    void namedProtocolNotOfferedChoosesNone() {
        DefaultRoute r = parse("tcp://localhost", "", "binary", "mqtt");
        assertEquals(Optional.empty(), r.route(new FakeRequest("x", "mqttv3.1")).subprotocol());
        assertEquals(Optional.empty(), r.route(new FakeRequest()).subprotocol());
    }

    @Test
    void starChoosesTheFirstOffer() {
        DefaultRoute r = parse("tcp://localhost", "", "auto", "*");
        assertEquals(Optional.of("b"), r.route(new FakeRequest("b", "a")).subprotocol());
        assertEquals(Optional.empty(), r.route(new FakeRequest()).subprotocol());
    }

    @Test
    void describeNamesTheEffectiveSettings() {
        String d = parse("tcp://localhost", "", "auto", "").describe();
        assertEquals("name=main, peer=tcp://localhost:5900, framing=auto, protocol=(none)", d);
        assertFalse(parse("tcp://h:1", "", "auto", "*").describe().contains("framing-config"));
    }

    @Test
    void peerProxyProtocolIsReadAndPutOnTheRoute() {
        DefaultRoute r = DefaultRoute.parse(config(Map.of("host", "tcp://127.0.0.1:1883",
                "peer$_$proxy$_$protocol", "V2")));
        assertEquals(io.websocksy.api.backend.PeerProxyProtocol.V2, r.route(new FakeRequest()).peerProxyProtocol());
        assertEquals(io.websocksy.api.backend.PeerProxyProtocol.OFF,
                DefaultRoute.parse(config(Map.of())).route(new FakeRequest()).peerProxyProtocol());
    }

    @Test
    void peerProxyProtocolRejectsBadValuesAndDatagramPeers() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> DefaultRoute.parse(config(Map.of("peer$_$proxy$_$protocol", "v3"))));
        assertTrue(e.getMessage().startsWith("peer-proxy-protocol = 'v3'"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> DefaultRoute.parse(config(Map.of("host", "udp://127.0.0.1:53", "peer$_$proxy$_$protocol", "v1"))));
        assertTrue(e.getMessage().contains("only for tcp:// and unix://"), e.getMessage());
    }
}
