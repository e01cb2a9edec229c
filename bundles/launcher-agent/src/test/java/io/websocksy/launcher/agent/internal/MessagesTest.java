package io.websocksy.launcher.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class MessagesTest {
    @Test
    void firstLineDropsExceptionClassesAndStackTraces() {
        assertEquals("websocksy.backend.default~main: port = '70000': out of range",
                Messages.firstLine("java.lang.IllegalArgumentException: websocksy.backend.default~main: port = "
                        + "'70000': out of range\n\tat x.y.Z.m(Z.java:1)\n"));
        assertEquals("listener main: cannot listen on 127.0.0.1 port 8001: Address already in use",
                Messages.firstLine("org.osgi.service.component.ComponentException: java.lang.IllegalStateException: "
                        + "listener main: cannot listen on 127.0.0.1 port 8001: Address already in use\n at ..."));
        assertEquals("unknown failure", Messages.firstLine(null));
        assertEquals("unknown failure", Messages.firstLine("  \n"));
    }

    @Test
    void sourceForNamesTheLastSettingOfThatKey() {
        List<LaunchSpec.Setting> s = List.of(new LaunchSpec.Setting("host", "a", "argument 2 (-c host=a)"),
                new LaunchSpec.Setting("port", "1", "argument 4 (-c port=1)"),
                new LaunchSpec.Setting("port", "70000", "argument 6 (-c port=70000)"));
        assertEquals("argument 6 (-c port=70000)", Messages.sourceFor("pid: port = '70000': bad", s, "fallback"));
        assertEquals("argument 2 (-c host=a)", Messages.sourceFor("pid: host = 'a': bad", s, "fallback"));
        assertEquals("fallback", Messages.sourceFor("something else", s, "fallback"));
    }

    @Test
    void ldapEscape() {
        assertEquals("a\\*b\\(c\\)d\\\\", Messages.ldapEscape("a*b(c)d\\"));
    }

    @Test
    void specDecodes() {
        LaunchSpec spec = LaunchSpec.decode("listen=127.0.0.1\nlisten.source=default\nport=9000\n"
                + "port.source=argument 2 (-p 9000)\nping=30\nping.source=default\nbackend=file\n"
                + "backend.source=w.ini\\:4\noptions=2\noption.1.key=expression\noption.1.value=a\n"
                + "option.1.source=w.ini\\:6\noption.2.key=expression\noption.2.value=b\noption.2.source=w.ini\\:7\n");
        assertEquals("9000", spec.port.value);
        assertEquals("argument 2 (-p 9000)", spec.port.source);
        assertEquals("w.ini:4", spec.backend.source);
        assertEquals(2, spec.options.size());
        assertEquals("b", spec.options.get(1).value);
        assertThrows(IllegalArgumentException.class, () -> LaunchSpec.decode("listen=x\n"));
    }
}
