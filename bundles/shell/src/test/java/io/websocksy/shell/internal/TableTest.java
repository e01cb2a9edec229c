package io.websocksy.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TableTest {
    @Test
    void alignsColumnsRightAlignsNumbersAndTrimsTrailingBlanks() {
        String t = new Table("NAME", ">COUNT", "NOTE").row("a", 5, "x").row("longer", 12345, "").row("b", 7, null)
                .render();
        assertEquals("NAME    COUNT  NOTE\n"
                + "a           5  x\n"
                + "longer  12345  -\n"
                + "b           7  -\n", t);
    }

    @Test
    void controlCharactersCannotBreakTheLayout() {
        assertEquals("a?b?c", Table.clean("a\nb\u001bc"));
        assertEquals("V\n" + "x?y\n", new Table("V").row("x\ty").render());
    }

    @Test
    void rowMustMatchTheColumns() {
        assertThrows(IllegalArgumentException.class, () -> new Table("A", "B").row("only one"));
    }
}
