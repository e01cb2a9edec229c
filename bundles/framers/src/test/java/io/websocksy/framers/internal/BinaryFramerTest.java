package io.websocksy.framers.internal;

import io.websocksy.framer.testkit.Driver;

import static io.websocksy.framer.testkit.Driver.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.websocksy.api.framer.Decision;
import io.websocksy.api.framer.FramerConfigException;
import io.websocksy.api.framer.FramingState;
import io.websocksy.framer.testkit.Driver.Msg;

class BinaryFramerTest {
    private final BinaryFramer framer = new BinaryFramer();

    @Test
    void configIsRejected() throws FramerConfigException {
        framer.open("");
        framer.open("  ");
        FramerConfigException e = assertThrows(FramerConfigException.class, () -> framer.open("x"));
        assertEquals("binary takes no configuration, got 'x'", e.getMessage());
    }

    @Test
    void everythingIsBinaryInEveryMode() throws FramerConfigException {
        byte[] input = utf8("plain text, é and €\r\n");
        assertEquals(List.of(new Msg(false, input)), Driver.whole(framer.open(""), input).messages());
        assertEquals(input.length, Driver.byteByByte(framer.open(""), input).messages().size());
        Driver.allModes(() -> framer.open(""), input).forEach((mode, r) -> {
            assertArrayEquals(input, r.concatenated(), mode);
            assertTrue(r.messages().stream().noneMatch(Msg::text), mode);
        });
    }

    @Test
    void singleDecisions() throws FramerConfigException {
        FramingState s = framer.open("");
        assertEquals(Decision.needMore(), s.next(ByteBuffer.allocate(0)));
        assertEquals(Decision.binary(2), s.next(ByteBuffer.wrap(utf8("ab"))));
        assertEquals(Decision.binary(2), s.endOfStream(ByteBuffer.wrap(utf8("ab"))));
        assertEquals(Decision.binary(2), s.datagram(ByteBuffer.wrap(utf8("ab"))));
    }
}
