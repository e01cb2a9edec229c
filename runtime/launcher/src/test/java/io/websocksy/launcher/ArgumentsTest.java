package io.websocksy.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArgumentsTest {
    @TempDir
    Path dir;

    private static String error(String... args) {
        return assertThrows(ConfigError.class, () -> Arguments.parse(args)).getMessage();
    }

    @Test
    void noArgumentsMeansTheDeployDirectory() throws Exception {
        Arguments a = Arguments.parse();
        assertEquals(Arguments.Mode.DEPLOY_DIRECTORY, a.mode());
        assertNull(a.spec());
    }

    @Test
    void etcDataAndVersionStandAnywhereBesideTheCommandLine() throws Exception {
        Arguments a = Arguments.parse("--etc", "/etc/websocksy", "-p", "9000", "--data=/var/lib/websocksy");
        assertEquals(Path.of("/etc/websocksy"), a.etc());
        assertEquals(Path.of("/var/lib/websocksy"), a.data());
        assertEquals(Arguments.Mode.SPEC, a.mode());
        assertEquals("9000", a.spec().port.value());
        Arguments only = Arguments.parse("--etc=/x");
        assertEquals(Arguments.Mode.DEPLOY_DIRECTORY, only.mode());
        assertEquals(Path.of("/x"), only.etc());
        assertEquals(Arguments.Mode.VERSION, Arguments.parse("--version").mode());
        assertEquals(Arguments.Mode.VERSION, Arguments.parse("--etc", "/x", "--version").mode());
        assertEquals(Arguments.Mode.HELP, Arguments.parse("--version", "--help").mode());
        assertEquals("argument 1: option --etc needs a directory (see --help)", error("--etc"));
        assertEquals("argument 1 (--data): empty directory name", error("--data="));
    }

    @Test
    void directoriesMustExistAndNameTheirSource() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(home.resolve("etc"));
        assertEquals(home.resolve("etc"), Directories.resolve(home, null, null, java.util.Map.of()).etc());
        Path etc = Files.createDirectories(dir.resolve("etc2"));
        assertEquals(etc, Directories.resolve(home, null, null, java.util.Map.of("WEBSOCKSY_ETC", etc.toString())).etc());
        Path missing = dir.resolve("nope");
        String msg = assertThrows(ConfigError.class,
                () -> Directories.resolve(home, missing, null, java.util.Map.of())).getMessage();
        assertEquals("--etc " + missing + ": no such directory " + missing, msg);
        msg = assertThrows(ConfigError.class, () -> Directories.resolve(home, null, null,
                java.util.Map.of("WEBSOCKSY_DATA", missing.toString()))).getMessage();
        assertEquals("WEBSOCKSY_DATA=" + missing + ": no such directory " + missing, msg);
    }

    @Test
    void helpAnywhere() throws Exception {
        assertEquals(Arguments.Mode.HELP, Arguments.parse("-h").mode());
        assertEquals(Arguments.Mode.HELP, Arguments.parse("--help").mode());
        assertEquals(Arguments.Mode.HELP, Arguments.parse("-p", "9000", "-h").mode());
    }

    @Test
    void everyFlagWithSeparateAndAttachedValues() throws Exception {
        LaunchSpec s = Arguments.parse("-p", "9000", "-l127.0.0.1", "-k", "0", "-b", "default",
                "-c", "host=tcp://127.0.0.1:7000", "-cframing=newline", "-c", "framing-config=lf").spec();
        assertEquals("9000", s.port().value());
        assertEquals("argument 2 (-p 9000)", s.port().source());
        assertEquals("127.0.0.1", s.listen().value());
        assertEquals("argument 3 (-l 127.0.0.1)", s.listen().source());
        assertEquals("0", s.ping().value());
        assertEquals("default", s.backend().value());
        assertEquals(List.of(new Setting("host", "tcp://127.0.0.1:7000", "argument 9 (-c host=tcp://127.0.0.1:7000)"),
                new Setting("framing", "newline", "argument 10 (-c framing=newline)"),
                new Setting("framing-config", "lf", "argument 12 (-c framing-config=lf)")), s.options());
    }

    @Test
    void defaultsAreTheOriginals() throws Exception {
        LaunchSpec s = Arguments.parse("-c", "host=tcp://h:1").spec();
        assertEquals("::", s.listen().value());
        assertEquals("8001", s.port().value());
        assertEquals("30", s.ping().value());
        assertEquals("default", s.backend().value());
        assertEquals(Setting.DEFAULT, s.port().source());
    }

    @Test
    void laterBackendStartsOptionsAfresh() throws Exception {
        LaunchSpec s = Arguments.parse("-c", "host=a", "-b", "file", "-c", "path=/x", "-c", "expression=a",
                "-c", "expression=b").spec();
        assertEquals("file", s.backend().value());
        assertEquals(List.of("path", "expression", "expression"), s.options().stream().map(Setting::key).toList());
        assertEquals(List.of("/x", "a", "b"), s.options().stream().map(Setting::value).toList());
    }

    @Test
    void valueMayContainEquals() throws Exception {
        LaunchSpec s = Arguments.parse("-c", "framing-config=offset=2,endian=big").spec();
        assertEquals("framing-config", s.options().get(0).key());
        assertEquals("offset=2,endian=big", s.options().get(0).value());
    }

    @Test
    void laterPortReplacesEarlier() throws Exception {
        assertEquals("2", Arguments.parse("-p", "1", "-p", "2").spec().port().value());
    }

    @Test
    void k1BadInputs() {
        assertEquals("argument 1: unknown option '-x' (see --help)", error("-x", "1"));
        assertEquals("argument 1: unknown option '--port' (see --help)", error("--port", "1"));
        assertEquals("argument 3: option -c needs a value (see --help)", error("-p", "9000", "-c"));
        assertEquals("argument 2 (-c framing): expected -c option=value, got 'framing'", error("-c", "framing"));
        assertEquals("argument 2 (-c =x): empty option name in '=x'", error("-c", "=x"));
        assertEquals("argument 2 (-p 70000): port = '70000': not a port number (expected 1-65535)",
                error("-p", "70000"));
        assertEquals("argument 2 (-p abc): port = 'abc': not a port number (expected 1-65535)", error("-p", "abc"));
        assertEquals("argument 2 (-p 0): port = '0': not a port number (expected 1-65535)", error("-p", "0"));
        assertEquals("argument 2 (-p -1): port = '-1': not a port number (expected 1-65535)", error("-p", "-1"));
        assertEquals("argument 2 (-k abc): ping = 'abc': not a number of seconds (expected 0-86400, 0 = no pings)",
                error("-k", "abc"));
        assertEquals("argument 2 (-k 86401): ping = '86401': not a number of seconds (expected 0-86400, 0 = no pings)",
                error("-k", "86401"));
        assertEquals("argument 2 (-l ): listen = '': empty address (use :: for every address)", error("-l", ""));
        assertEquals("argument 2 (-b no-such): backend = 'no-such': not a backend name (letters, digits and _ only, "
                + "e.g. default or file)", error("-b", "no-such"));
        assertEquals("argument 3: unexpected argument 'extra' (a configuration file must be the only argument; "
                + "see --help)", error("-p", "1", "extra"));
    }

    @Test
    void singleArgumentIsAnIniFile() throws Exception {
        Path f = dir.resolve("w.ini");
        Files.writeString(f, "[core]\nport = 9001\nbackend = file\n[backend]\npath = /srv\n");
        LaunchSpec s = Arguments.parse(f.toString()).spec();
        assertEquals("9001", s.port().value());
        assertEquals(f + ":2", s.port().source());
        assertEquals("file", s.backend().value());
        assertEquals(List.of(new Setting("path", "/srv", f + ":5")), s.options());
    }

    @Test
    void missingIniFile() {
        Path f = dir.resolve("none.ini");
        assertEquals(f + ": no such configuration file", error(f.toString()));
    }

    @Test
    void encodeRoundTrips() throws Exception {
        LaunchSpec s = Arguments.parse("-p", "9000", "-c", "framing-config=\\x65 =#:!", "-c", "a=").spec();
        Properties p = new Properties();
        p.load(new StringReader(s.encode()));
        assertEquals("9000", p.getProperty("port"));
        assertEquals("argument 2 (-p 9000)", p.getProperty("port.source"));
        assertEquals("default", p.getProperty("backend"));
        assertEquals("2", p.getProperty("options"));
        assertEquals("framing-config", p.getProperty("option.1.key"));
        assertEquals("\\x65 =#:!", p.getProperty("option.1.value"));
        assertEquals("", p.getProperty("option.2.value"));
        assertEquals("argument 6 (-c a=)", p.getProperty("option.2.source"));
    }

    @Test
    void mainPrintsOneLineAndExits2BeforeStartingAnything() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"-p", "70000"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        assertEquals("websocksy: argument 2 (-p 70000): port = '70000': not a port number (expected 1-65535)\n",
                err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void mainHelp() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, status);
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: websocksy"));
    }
}
