package io.websocksy.bridge.internal.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;

/** Fragments become one contiguous datagram, up to the limit; what it holds is released. */
class DatagramAssemblerTest {
    private static ByteBuf text(String s) {
        return Unpooled.directBuffer().writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void fragmentsMakeOneContiguousDatagram() {
        DatagramAssembler a = new DatagramAssembler(PooledByteBufAllocator.DEFAULT, 16);
        assertNull(a.add(text("frag1-"), false));
        assertTrue(a.fits(10));
        assertFalse(a.fits(11), "6 held + 11 > 16");
        ByteBuf d = a.add(text("frag2"), true);
        try {
            assertEquals("frag1-frag2", d.toString(StandardCharsets.US_ASCII));
            assertEquals(1, d.nioBufferCount(), "one buffer for the native datagram write");
        } finally {
            d.release();
        }
    }

    @Test
    void releaseDropsWhatIsHeld() {
        DatagramAssembler a = new DatagramAssembler(PooledByteBufAllocator.DEFAULT, 16);
        ByteBuf part = text("abc");
        assertNull(a.add(part, false));
        a.release();
        assertEquals(0, part.refCnt());
        assertTrue(a.fits(16), "empty again");
    }
}
