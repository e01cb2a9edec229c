package io.websocksy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EchoScheduleTest {
    private static final long MS = 1_000_000L;

    @Test
    void sendsOnScheduleAndCatchesUpAfterAStall() {
        EchoSchedule s = new EchoSchedule(MS, 64, 10, 0);
        s.start(0);
        assertEquals(1, s.due(0)); // message 0 is due at once
        assertEquals(0, s.due(MS / 2));
        assertEquals(1, s.due(MS));
        assertEquals(5, s.due(6 * MS)); // the sender stalled: messages 2..6 are all due now
        assertEquals(3, s.due(100 * MS)); // never more than the total
        assertTrue(s.allSent());
    }

    @Test
    void latencyIsMeasuredFromTheIntendedSendTime() {
        EchoSchedule s = new EchoSchedule(MS, 64, 4, 0);
        s.start(0);
        s.due(3 * MS);
        // every echo comes back at 10 ms, in one read: a stalled path, not a fast one
        assertTrue(s.received(4 * 64, 10 * MS));
        var h = s.histogram();
        assertEquals(4, h.getTotalCount());
        assertEquals(10 * MS, h.getMaxValue(), 10 * MS / 1000.0); // message 0, meant for t=0
        assertEquals(7 * MS, h.getMinValue(), 7 * MS / 1000.0); // message 3, meant for t=3 ms
    }

    @Test
    void echoesSplitOrMergedByTheBridgeStillMatchInOrder() {
        EchoSchedule s = new EchoSchedule(MS, 64, 3, 1);
        s.start(0);
        s.due(2 * MS);
        assertFalse(s.received(100, 5 * MS)); // message 0 (warm-up, not recorded) and part of 1
        assertEquals(0, s.histogram().getTotalCount());
        assertFalse(s.received(28, 6 * MS)); // message 1 complete
        assertEquals(1, s.histogram().getTotalCount());
        assertTrue(s.received(64, 7 * MS));
        assertEquals(2, s.histogram().getTotalCount());
        assertEquals(0, s.result(1000).lost());
    }

    @Test
    void rejectsAScheduleWithNothingToRecord() {
        assertThrows(IllegalArgumentException.class, () -> new EchoSchedule(MS, 64, 5, 5));
        assertThrows(IllegalArgumentException.class, () -> new EchoSchedule(0, 64, 5, 0));
    }
}
