package io.websocksy.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IgnoredFilesTest {
    @TempDir
    Path dir;

    private File write(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p.toFile();
    }

    private File jar(String name, String bsn) throws Exception {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (bsn != null) {
            m.getMainAttributes().putValue("Bundle-SymbolicName", bsn);
        }
        Path p = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(p); JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
        return p.toFile();
    }

    @Test
    void aJarThatIsNotAZipIsReported() throws Exception {
        String why = IgnoredFiles.reason(write("junk.jar", "not a jar"));
        assertTrue(why.startsWith("not a jar (zip) file"), why);
    }

    @Test
    void aPlainJarWithoutBundleHeadersIsReported() throws Exception {
        assertEquals("a jar without Bundle-SymbolicName in its manifest, so not an OSGi bundle",
                IgnoredFiles.reason(jar("lib.jar", null)));
    }

    @Test
    void anUnknownKindOfFileIsReported() throws Exception {
        String why = IgnoredFiles.reason(write("notes.txt", "hello"));
        assertTrue(why.startsWith("neither an OSGi bundle"), why);
    }

    @Test
    void bundlesConfigurationsAndTemporaryFilesAreLeftToOthers() throws Exception {
        assertNull(IgnoredFiles.reason(jar("plugin.jar", "com.example.plugin")));
        for (String name : List.of("websocksy.listener-a.cfg", "x.config", "a.cfg.tmp", "a.cfg~", ".a.cfg.swp",
                ".hidden", "gosh_profile", "x.dpkg-old")) {
            assertNull(IgnoredFiles.reason(write(name, "x")), name);
        }
        assertNull(IgnoredFiles.reason(Files.createDirectories(dir.resolve("systemd")).toFile()));
        Path packed = Files.createDirectories(dir.resolve("fileinstall-123"));
        assertNull(IgnoredFiles.reason(Files.writeString(packed.resolve("systemd.jar"), "x").toFile()));
    }

    @Test
    void closestPidIsSuggestedOnlyWhenNear() {
        List<String> known = List.of("websocksy.listener", "websocksy.backend.default", "org.ops4j.pax.logging");
        assertEquals("websocksy.listener", UnknownConfigurations.closest("websocksy.listner", known));
        assertEquals("websocksy.backend.default", UnknownConfigurations.closest("websocksy.backend.defualt", known));
        assertNull(UnknownConfigurations.closest("com.example.other", known));
    }
}
