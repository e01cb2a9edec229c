package io.websocksy.bridge.internal.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** docs/conformance.md H13: the listener's allowed-origins. */
class OriginPolicyTest {
    @Test
    void emptyListAllowsEverything() {
        OriginPolicy p = OriginPolicy.parse(null, false);
        assertTrue(p.allowsAny());
        assertNull(p.check(List.of("https://evil.example")));
        assertNull(p.check(List.of()));
    }

    @Test
    void fullOriginMatchesExactlyWithDefaultPortsImplied() {
        OriginPolicy p = OriginPolicy.parse("https://app.example.com, http://localhost:8080", true);
        assertNull(p.check(List.of("https://app.example.com")));
        assertNull(p.check(List.of("HTTPS://App.Example.com:443")));
        assertNull(p.check(List.of("http://localhost:8080")));
        assertNotNull(p.check(List.of("http://app.example.com")));
        assertNotNull(p.check(List.of("https://app.example.com:8443")));
        assertNotNull(p.check(List.of("http://localhost:8081")));
        assertNotNull(p.check(List.of("https://evil.example")));
        assertNotNull(p.check(List.of("null")));
    }

    @Test
    void hostPatternsMatchAnySchemeAndPort() {
        OriginPolicy p = OriginPolicy.parse(new String[] {"*.example.com", "localhost"}, true);
        assertNull(p.check(List.of("https://a.example.com")));
        assertNull(p.check(List.of("http://a.b.example.com:81")));
        assertNull(p.check(List.of("http://localhost:3000")));
        assertNotNull(p.check(List.of("https://example.com")), "*. needs at least one label");
        assertNotNull(p.check(List.of("https://evilexample.com")));
        assertNotNull(p.check(List.of("https://example.com.evil.net")));
    }

    @Test
    void missingAndRepeatedOrigin() {
        assertNull(OriginPolicy.parse("https://a.example", true).check(List.of()));
        assertEquals("no Origin header and allow-missing-origin is false",
                OriginPolicy.parse("https://a.example", false).check(List.of()));
        assertNotNull(OriginPolicy.parse("https://a.example", true)
                .check(List.of("https://a.example", "https://a.example")));
    }

    @Test
    void starAllowsAll() {
        assertNull(OriginPolicy.parse("*", false).check(List.of("null")));
    }

    @Test
    void badEntriesAreRejectedNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OriginPolicy.parse("https://a.example/path", true));
        assertTrue(e.getMessage().contains("https://a.example/path"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OriginPolicy.parse("a.*.example", true));
        assertThrows(IllegalArgumentException.class, () -> OriginPolicy.parse("example.com:80", true));
        assertThrows(IllegalArgumentException.class, () -> OriginPolicy.parse("https://*.example.com", true));
    }
}
