package io.websocksy.backend.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSettingsTest {
    @TempDir
    Path dir;

    private static List<String> sources(FileSettings s) {
        return s.templates().stream().map(Template::source).toList();
    }

    @Test
    void defaults() {
        FileSettings s = FileSettings.parse(Configs.config(Map.of("path", dir.toString())), null);
        assertEquals("main", s.name());
        assertEquals(dir.toAbsolutePath().normalize(), s.base());
        assertEquals(List.of("%endpoint%.txt"), sources(s));
    }

    @Test
    void nameDefaultsToTheFactoryInstance() {
        assertEquals("tokens", FileSettings.parse(Configs.config(Map.of("path", dir.toString())), "tokens").name());
        assertEquals("explicit", FileSettings.parse(
                Configs.config(Map.of("path", dir.toString(), "name", " explicit ")), "tokens").name());
        assertEquals("tokens", io.websocksy.backend.registration.BackendRegistration.instanceOf("websocksy.backend.file~tokens"));
        assertEquals(null, io.websocksy.backend.registration.BackendRegistration.instanceOf("websocksy.backend.file.4f1c-uuid"));
        assertEquals(null, io.websocksy.backend.registration.BackendRegistration.instanceOf("websocksy.backend.file~"));
    }

    @Test
    void cfgStringIsSplitAtCommasAndTrimmed() {
        FileSettings s = FileSettings.parse(Configs.config(Map.of("path", dir.toString(),
                "expression", " %endpoint%.txt, %cookie:session%.txt ,default.txt ")), null);
        assertEquals(List.of("%endpoint%.txt", "%cookie:session%.txt", "default.txt"), sources(s));
    }

    @Test
    void arraysAndCollectionsWork() {
        String[] arr = {"%endpoint%.txt", " default.txt"};
        assertEquals(List.of("%endpoint%.txt", "default.txt"),
                sources(FileSettings.parse("main", dir.toString(), arr, null)));
        assertEquals(List.of("a.txt", "b.txt", "c.txt"),
                sources(FileSettings.parse("main", dir.toString(), List.of("a.txt, b.txt", "c.txt"), null)));
        assertEquals(List.of("x.txt"), sources(FileSettings.parse("main", dir.toString(), "x.txt", null)));
    }

    @Test
    void emptyTemplatesAreRejected() {
        for (Object bad : new Object[] {"", " ", "a.txt,,b.txt", "a.txt,", new String[] {"a.txt", ""}, new String[0]}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> FileSettings.parse("main", dir.toString(), bad, null));
            assertTrue(e.getMessage().startsWith("expression = '"), e.getMessage());
        }
    }

    @Test
    void unknownVariableIsAConfigErrorNamingKeyAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FileSettings.parse("main", dir.toString(), "%endpoint%.txt, %cookei:s%.txt", null));
        assertEquals("expression = '%cookei:s%.txt': unknown variable '%cookei:s%' (expected %endpoint%, "
                + "%cookie:NAME%, %header:NAME%, %query:NAME% or %% for a literal %)", e.getMessage());
    }

    @Test
    void pathMustBeAnExistingDirectory() throws IOException {
        IllegalArgumentException unset = assertThrows(IllegalArgumentException.class,
                () -> FileSettings.parse(Configs.config(Map.of()), null));
        assertTrue(unset.getMessage().startsWith("path = '': not set"), unset.getMessage());

        Path missing = dir.resolve("nope");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FileSettings.parse("main", missing.toString(), null, null));
        assertEquals("path = '" + missing + "': does not exist (" + missing + ")", e.getMessage());

        Path file = Files.createFile(dir.resolve("file"));
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                () -> FileSettings.parse("main", file.toString(), null, null));
        assertTrue(f.getMessage().contains("is not a directory"), f.getMessage());

        IllegalArgumentException nul = assertThrows(IllegalArgumentException.class,
                () -> FileSettings.parse("main", "a\u0000b", null, null));
        assertTrue(nul.getMessage().startsWith("path = 'a\\x00b': not a valid path"), nul.getMessage());
    }

    @Test
    void relativePathIsTakenFromTheWorkingDirectory() {
        FileSettings s = FileSettings.parse("main", "target", null, null);
        assertEquals(Paths.get("target").toAbsolutePath().normalize(), s.base());
        assertTrue(s.base().isAbsolute());
    }

    @Test
    void tooManyTemplates() {
        String many = String.join(",", java.util.Collections.nCopies(FileSettings.MAX_TEMPLATES + 1, "a.txt"));
        assertThrows(IllegalArgumentException.class, () -> FileSettings.parse("main", dir.toString(), many, null));
    }
}
