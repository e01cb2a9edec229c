package io.websocksy.api.framer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

class DecisionTest {
    @Test
    void needMoreIsASharedConstant() {
        assertSame(Decision.needMore(), Decision.needMore());
        assertEquals(Decision.Kind.NEED_MORE, Decision.needMore().kind());
        assertEquals(0, Decision.needMore().length());
        assertFalse(Decision.needMore().emits());
        assertEquals("NEED_MORE", Decision.needMore().toString());
    }

    @Test
    void kindsAndLengths() {
        assertEquals(Decision.Kind.TEXT, Decision.text(3).kind());
        assertEquals(3, Decision.text(3).length());
        assertTrue(Decision.text(3).emits());
        assertEquals(Decision.Kind.BINARY, Decision.binary(4).kind());
        assertTrue(Decision.binary(4).emits());
        assertEquals(Decision.Kind.DISCARD, Decision.discard(5).kind());
        assertEquals(5, Decision.discard(5).length());
        assertFalse(Decision.discard(5).emits());
        assertEquals("TEXT(3)", Decision.text(3).toString());
        assertEquals("BINARY(0)", Decision.binary(0).toString());
        assertEquals("DISCARD(1)", Decision.discard(1).toString());
    }

    @Test
    void valueEquality() {
        assertEquals(Decision.text(7), Decision.text(7));
        assertEquals(Decision.text(7).hashCode(), Decision.text(7).hashCode());
        assertNotEquals(Decision.text(7), Decision.binary(7));
        assertNotEquals(Decision.text(7), Decision.text(8));
        assertNotEquals(Decision.discard(1), Decision.needMore());
        assertNotEquals(Decision.text(1), "TEXT(1)");
    }

    @Test
    void lengthsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> Decision.text(-1));
        assertThrows(IllegalArgumentException.class, () -> Decision.binary(-1));
        assertThrows(IllegalArgumentException.class, () -> Decision.discard(0));
        assertThrows(IllegalArgumentException.class, () -> Decision.discard(-3));
    }

    @Test
    void framingStateDefaults() {
        FramingState s = buf -> Decision.needMore();
        ByteBuffer b = ByteBuffer.wrap(new byte[] {(byte) 0xff, 'a', 'b'}).position(1);
        assertEquals(Decision.text(2), s.endOfStream(b));
        assertEquals(Decision.binary(2), s.datagram(b));
        s.close();
    }
}
