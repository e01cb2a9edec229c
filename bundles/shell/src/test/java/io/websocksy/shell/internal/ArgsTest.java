package io.websocksy.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ArgsTest {
    @Test
    void optionsRepeatsAndPositionals() throws Exception {
        Args a = Args.parse(new Object[] {"-l", "main", "-H", "A: 1", "/p", "-H", "B: 2"}, Set.of("-l", "-H"),
                Set.of("-H"));
        assertEquals("main", a.option("-l"));
        assertEquals(List.of("A: 1", "B: 2"), a.all("-H"));
        assertEquals(List.of("/p"), a.positional());
        assertNull(a.option("-x"));
        a.expect(1, 1);
    }

    @Test
    void negativeNumbersAndDoubleDashArePositional() throws Exception {
        Args a = Args.parse(new Object[] {"-5", "--", "-l"}, Set.of("-l"), Set.of());
        assertEquals(List.of("-5", "-l"), a.positional());
        assertTrue(Args.parse(new Object[] {"--help"}, Set.of(), Set.of()).help());
        assertEquals(List.of(), Args.parse(null, Set.of(), Set.of()).positional());
    }

    @Test
    void badCommandLinesNameTheProblem() {
        assertEquals("unknown option -x", assertThrows(UsageException.class,
                () -> Args.parse(new Object[] {"-x"}, Set.of(), Set.of())).getMessage());
        assertEquals("option -l needs a value", assertThrows(UsageException.class,
                () -> Args.parse(new Object[] {"-l"}, Set.of("-l"), Set.of())).getMessage());
        assertEquals("option -l given twice", assertThrows(UsageException.class,
                () -> Args.parse(new Object[] {"-l", "a", "-l", "b"}, Set.of("-l"), Set.of())).getMessage());
        assertEquals("unexpected argument 'b'", assertThrows(UsageException.class,
                () -> Args.parse(new Object[] {"a", "b"}, Set.of(), Set.of()).expect(1, 1)).getMessage());
        assertEquals("missing argument", assertThrows(UsageException.class,
                () -> Args.parse(new Object[] {}, Set.of(), Set.of()).expect(1, 1)).getMessage());
    }
}
