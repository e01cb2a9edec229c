package io.websocksy.backend.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathRulesTest {

    @Test
    void decodeEndpoint() {
        assertEquals("foo", PathRules.decodeEndpoint("foo"));
        assertEquals("a/b", PathRules.decodeEndpoint("a//b"));
        assertEquals("a/b", PathRules.decodeEndpoint("a/b//"));
        assertEquals("..", PathRules.decodeEndpoint("%2e%2e"));
        assertEquals("%2e", PathRules.decodeEndpoint("%252e"));
        assertEquals("a+b c", PathRules.decodeEndpoint("a+b%20c"));
        assertEquals("\u00e9", PathRules.decodeEndpoint("%C3%A9"));
        assertEquals("\u00e9", PathRules.decodeEndpoint("\u00e9"));
        assertEquals("\ud83d\ude00", PathRules.decodeEndpoint("%F0%9F%98%80"));
        assertEquals("\u0000", PathRules.decodeEndpoint("%00"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"%", "%2", "%zz", "%c0%ae", "%ff", "%e2%82", "%ed%a0%80"})
    void malformedEndpointsDecodeToNull(String s) {
        assertNull(PathRules.decodeEndpoint(s), s);
    }

    @Test
    void checkValue() {
        assertNull(PathRules.checkValue("ok-value.1"));
        assertNull(PathRules.checkValue("a/b"));
        assertNull(PathRules.checkValue("\u00e9t\u00e9"));
        assertNotNull(PathRules.checkValue("a\u0000"));
        assertNotNull(PathRules.checkValue("a\nb"));
        assertNotNull(PathRules.checkValue("a\u007f"));
        assertNotNull(PathRules.checkValue("a\u0085"));
        assertNotNull(PathRules.checkValue("a\\b"));
        assertNotNull(PathRules.checkValue("\ud800"));
        assertNotNull(PathRules.checkValue("x\udc00"));
        assertNull(PathRules.checkValue("a".repeat(255)));
        assertNotNull(PathRules.checkValue("a".repeat(256)));
        assertNotNull(PathRules.checkValue("\u00e9".repeat(128)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/abs", "..", ".", "a/..", "../a", "a/./b", "a//b", "a/", "\uff0e\uff0e", "a/\uff0e",
            "a\uff0fb", "a\uff3cb", "\u2024\u2024", "\ufe52\ufe52"})
    void checkRelativeRefuses(String p) {
        assertNotNull(PathRules.checkRelative(p), p);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "a.txt", "...", "....", ".hidden", "a/b/c.txt", "..a", "a..", "\u00e9.txt", "%2e%2e"})
    void checkRelativeAccepts(String p) {
        assertNull(PathRules.checkRelative(p), p);
    }
}
