package io.websocksy.backend.token.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.websocksy.api.peer.PeerAddress;
import io.websocksy.api.token.TokenSource;

class TokenFileTest {
    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    private Map<String, TokenFile.Entry> parse(String... lines) {
        Map<String, TokenFile.Entry> m = TokenFile.table();
        TokenFile.parse("tokens.cfg", List.of(lines), m, warnings::add);
        return m;
    }

    @Test
    void websockifyLinesCommentsAndBlanks() {
        Map<String, TokenFile.Entry> m = parse("# websockify token file", "", "vnc1: 127.0.0.1:5901",
                "vnc2:\t10.0.0.2:5900   ", "  ", "# vnc3: 1.2.3.4:5");
        assertEquals(2, m.size());
        assertEquals(PeerAddress.parse("tcp://127.0.0.1:5901"), m.get("vnc1").peer);
        assertEquals(PeerAddress.parse("tcp://10.0.0.2:5900"), m.get("vnc2").peer);
        assertEquals("tokens.cfg:4", m.get("vnc2").where);
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void fullPeerAddressesAsAnExtension() {
        Map<String, TokenFile.Entry> m = parse("a: unix:///run/vnc.sock", "b: udp://127.0.0.1:53", "c: tcp://[::1]:1883");
        assertEquals(PeerAddress.parse("unix:///run/vnc.sock"), m.get("a").peer);
        assertEquals(PeerAddress.parse("udp://127.0.0.1:53"), m.get("b").peer);
        assertEquals(PeerAddress.parse("tcp://[::1]:1883"), m.get("c").peer);
    }

    @Test
    void badLinesAreWarnedWithFileAndLineAndTheRestServed() {
        Map<String, TokenFile.Entry> m = parse("good: 127.0.0.1:1", "secret-no-space:127.0.0.1:2", "nohost: 127.0.0.1",
                ": 127.0.0.1:3", "other: 127.0.0.1:4");
        assertEquals(List.of("good", "other"), new ArrayList<>(m.keySet()));
        assertEquals(3, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("tokens.cfg:2: "), warnings.get(0));
        assertTrue(warnings.get(1).startsWith("tokens.cfg:3: bad target"), warnings.get(1));
        assertTrue(warnings.get(2).startsWith("tokens.cfg:4: empty token"), warnings.get(2));
        for (String w : warnings) {
            assertFalse(w.contains("secret-no-space") || w.contains("nohost"), "token in a warning: " + w);
        }
    }

    @Test
    void duplicateTokenLastWinsAsWebsockifyWithAWarningByHash() {
        Map<String, TokenFile.Entry> m = parse("t: 127.0.0.1:1", "t: 127.0.0.1:2");
        assertEquals(2, m.get("t").peer.port());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains(TokenSource.hash("t")) && warnings.get(0).contains("tokens.cfg:1"));
    }

    private void write(Path f, String text) throws IOException {
        Path tmp = f.resolveSibling("." + f.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void directoryIsReReadOnlyWhenItChanges() throws IOException {
        write(dir.resolve("a.conf"), "a: 127.0.0.1:1\n");
        TokenTable t = new TokenTable(dir, warnings::add);
        assertTrue(t.refresh());
        assertFalse(t.refresh());
        assertEquals(1, t.lookup("a").peer.port());
        assertNull(t.lookup("b"));
        write(dir.resolve("b.conf"), "b: 127.0.0.1:2\nbroken line\n");
        assertTrue(t.refresh());
        assertEquals(2, t.lookup("b").peer.port());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).endsWith("b.conf:2: no 'token: target' (a colon and a space after the token); line skipped"),
                warnings.get(0));
        write(dir.resolve("a.conf"), "a: 127.0.0.1:11\n");
        Files.setLastModifiedTime(dir.resolve("a.conf"), FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertTrue(t.refresh());
        assertEquals(11, t.lookup("a").peer.port());
        Files.delete(dir.resolve("b.conf"));
        assertTrue(t.refresh());
        assertNull(t.lookup("b"));
    }

    @Test
    void singleFileSource() throws IOException {
        Path f = dir.resolve("tokens");
        write(f, "x: 127.0.0.1:7\n");
        TokenTable t = new TokenTable(f, warnings::add);
        t.refresh();
        assertEquals(7, t.lookup("x").peer.port());
    }
}
