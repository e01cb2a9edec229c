package io.websocksy.bridge.internal.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The close state only moves forward, through its named transitions. */
class CloseStateTest {
    @Test
    void serverClosesFirst() {
        CloseState s = CloseState.HANDSHAKE;
        assertTrue(s.inHandshake());
        s = s.started();
        assertEquals(CloseState.OPEN, s);
        assertFalse(s.closing());
        s = s.closeSent();
        assertEquals(CloseState.CLOSE_SENT, s);
        assertTrue(s.closing());
        assertFalse(s.closeHandshakeDone());
        assertEquals(CloseState.CLOSE_SENT, s.closeSent(), "a second close frame is not sent");
        s = s.closeReceived();
        assertEquals(CloseState.CLOSED, s);
        assertTrue(s.closing() && s.closeHandshakeDone());
    }

    @Test
    void clientClosesFirst() {
        CloseState s = CloseState.HANDSHAKE.started().closeReceived();
        assertEquals(CloseState.CLOSED, s);
        assertEquals(CloseState.CLOSED, s.closeSent());
        assertEquals(CloseState.CLOSED, s.started(), "never back to open");
    }
}
