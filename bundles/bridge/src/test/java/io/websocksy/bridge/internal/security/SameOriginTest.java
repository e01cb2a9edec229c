package io.websocksy.bridge.internal.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The {@code same-origin} option of {@link OriginPolicy}. */
class SameOriginTest {
    @Test
    void sameOriginAloneAllowsOnlyTheOwnHost() {
        OriginPolicy p = OriginPolicy.parse(null, true).sameOrigin(true);
        assertFalse(p.allowsAny());
        assertNull(p.check(List.of("http://ws.example:8001"), "ws.example:8001"));
        assertNull(p.check(List.of("https://WS.example"), "ws.example:443"));
        assertNull(p.check(List.of("http://ws.example"), "ws.example"));
        assertNotNull(p.check(List.of("https://ws.example:8001"), "ws.example:8002"));
        assertNotNull(p.check(List.of("https://evil.example"), "ws.example"));
        assertNotNull(p.check(List.of("null"), "ws.example"));
        assertNull(p.check(List.of(), "ws.example"), "missing Origin follows allow-missing-origin");
        assertNotNull(OriginPolicy.parse(null, false).sameOrigin(true).check(List.of(), "ws.example"));
        assertTrue(p.toString().contains("same-origin"));
    }

    @Test
    void sameOriginWithAList() {
        OriginPolicy p = OriginPolicy.parse("https://app.example", true).sameOrigin(true);
        assertNull(p.check(List.of("https://app.example"), "ws.example"));
        assertNull(p.check(List.of("https://ws.example"), "ws.example"));
        String why = p.check(List.of("https://evil.example"), "ws.example");
        assertTrue(why.contains("same-origin"), why);
        // off: the Host header does not matter
        assertNotNull(OriginPolicy.parse("https://app.example", true).check(List.of("https://ws.example"), "ws.example"));
        assertTrue(OriginPolicy.parse(null, true).sameOrigin(false).allowsAny());
    }
}
