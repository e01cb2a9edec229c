package io.websocksy.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IniFileTest {
    @TempDir
    Path dir;

    private static String error(String text) {
        return assertThrows(ConfigError.class, () -> IniFile.parse(text, "w.ini").validate()).getMessage();
    }

    @Test
    void theOriginalsFileBackendExample() throws Exception {
        LaunchSpec s = IniFile.parse("[core]\nport = 8001\nlisten = 127.0.0.1\nping = 5\nbackend = file\n\n[backend]\n"
                + "path = /srv/routes\nexpression = %endpoint%.txt\nexpression = default.txt\n", "w.ini").validate();
        assertEquals("8001", s.port().value());
        assertEquals("127.0.0.1", s.listen().value());
        assertEquals("5", s.ping().value());
        assertEquals("file", s.backend().value());
        assertEquals(List.of(new Setting("path", "/srv/routes", "w.ini:8"),
                new Setting("expression", "%endpoint%.txt", "w.ini:9"),
                new Setting("expression", "default.txt", "w.ini:10")), s.options());
    }

    @Test
    void k2CommentsCrlfAndBom() throws Exception {
        LaunchSpec s = IniFile.parse("\uFEFF# comment\r\n; another\r\n[core]\r\n  port=9000  \r\n[ backend ]\r\n"
                + "   # indented comment\r\nhost = tcp://h:1\r\nframing-config = \\x23 # kept\r\n", "w.ini").validate();
        assertEquals("9000", s.port().value());
        assertEquals(List.of(new Setting("host", "tcp://h:1", "w.ini:7"),
                new Setting("framing-config", "\\x23 # kept", "w.ini:8")), s.options());
    }

    @Test
    void bomFromAFile() throws Exception {
        Path f = dir.resolve("bom.ini");
        byte[] body = "[core]\r\nport = 9002\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[body.length + 3];
        all[0] = (byte) 0xEF;
        all[1] = (byte) 0xBB;
        all[2] = (byte) 0xBF;
        System.arraycopy(body, 0, all, 3, body.length);
        Files.write(f, all);
        assertEquals("9002", IniFile.read(f, "bom.ini").port().value());
    }

    @Test
    void notUtf8() throws Exception {
        Path f = dir.resolve("latin1.ini");
        Files.write(f, new byte[] {'[', 'c', 'o', 'r', 'e', ']', '\n', 'l', '=', (byte) 0xE9, '\n'});
        assertEquals("l.ini: not a UTF-8 text file", assertThrows(ConfigError.class,
                () -> IniFile.read(f, "l.ini")).getMessage());
    }

    @Test
    void linesBeforeAnySectionAreCore() throws Exception {
        assertEquals("7000", IniFile.parse("port = 7000\n", "w.ini").validate().port().value());
    }

    @Test
    void k1BadLines() {
        assertEquals("w.ini:2: 'port 8001': expected key = value", error("[core]\nport 8001\n"));
        assertEquals("w.ini:3: [nosuch]: unknown section (expected [core] or [backend])",
                error("[core]\nport = 1\n[nosuch]\n"));
        assertEquals("w.ini:1: '[core': malformed section header (expected [core] or [backend])", error("[core\n"));
        assertEquals("w.ini:2: verbose = 'yes': unknown [core] key (known: backend, listen, ping, port)",
                error("[core]\nverbose = yes\n"));
        assertEquals("w.ini:2: prot = '8001': unknown [core] key (did you mean 'port'?)", error("[core]\nprot = 8001\n"));
        assertEquals("w.ini:3: port = '2': duplicate [core] key (first set at line 2)",
                error("[core]\nport = 1\nport = 2\n"));
        assertEquals("w.ini:2: port = '70000': not a port number (expected 1-65535)", error("[core]\nport = 70000\n"));
        assertEquals("w.ini:2: port = 'abc': not a port number (expected 1-65535)", error("[core]\nport = abc\n"));
        assertEquals("w.ini:2: ping = 'abc': not a number of seconds (expected 0-86400, 0 = no pings)",
                error("[core]\nping = abc\n"));
        assertEquals("w.ini:2: '= x': empty key", error("[backend]\n= x\n"));
        assertEquals("w.ini:2: port = '': not a port number (expected 1-65535)", error("[core]\nport =\n"));
    }
}
