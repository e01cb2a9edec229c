package io.websocksy.bridge.internal.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** RFC 6455 §5.5: a close frame's payload (code + reason) is at most 125 bytes. */
class CloseReasonTest {
    @Test
    void shortReasonsPassUnchanged() {
        assertEquals("framer unavailable", Connection.wireReason("framer unavailable"));
        assertEquals("", Connection.wireReason(null));
        String exact = "x".repeat(123);
        assertEquals(exact, Connection.wireReason(exact));
    }

    @Test
    void longReasonsAreCutTo123Bytes() {
        String cut = Connection.wireReason("framer threw java.lang.IllegalStateException: " + "y".repeat(200));
        assertEquals(123, cut.getBytes(StandardCharsets.UTF_8).length);
        assertTrue(cut.startsWith("framer threw java.lang.IllegalStateException: "));
    }

    @Test
    void neverCutsInsideAMultiByteCharacter() {
        // 122 ASCII bytes then a 3-byte character: byte 123 is the middle of it
        String cut = Connection.wireReason("a".repeat(122) + "\u20ac" + "tail");
        assertEquals("a".repeat(122), cut);
        String emoji = Connection.wireReason("\uD83D\uDE00".repeat(40)); // 4-byte characters, 160 bytes
        assertEquals(30, emoji.codePointCount(0, emoji.length()));
        assertTrue(emoji.getBytes(StandardCharsets.UTF_8).length <= 123);
    }
}
