package io.websocksy.backend.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.websocksy.api.backend.Route;
import io.websocksy.api.peer.PeerAddress;

/**
 * The routing rules of docs/behaviour.md#backends, #relay and the R cases of docs/conformance.md, against a real temporary directory.
 * Every test ends by checking that no file outside the base directory was stat'ed or read, and a canary
 * route file (routing to {@value #CANARY}) sits outside the base wherever a traversal would land.
 */
class FileRouterTest {
    static final String CANARY = "tcp://canary.invalid:6666";

    @TempDir
    Path root;
    Path base;
    Path realBase;
    SpyFiles spy;
    RecordingEvents events;

    @BeforeEach
    void setUp() throws IOException {
        base = Files.createDirectory(root.resolve("files"));
        realBase = base.toRealPath();
        spy = new SpyFiles();
        events = new RecordingEvents();
        // canaries where a traversal from base would land
        for (String name : List.of("secret", "secret.txt", "x.txt", "...txt", "passwd", "default.txt")) {
            write(root.resolve(name), CANARY + " *\n");
        }
    }

    @AfterEach
    void nothingOutsideWasTouched() {
        for (Path p : spy.statted) {
            assertTrue(p.startsWith(realBase), "stat outside the base: " + p);
        }
        for (Path p : spy.read) {
            assertTrue(p.startsWith(realBase), "read outside the base: " + p);
        }
        for (Path p : spy.resolved) {
            assertTrue(p.normalize().startsWith(base), "resolved a path outside the base: " + p);
        }
    }

    private static void write(Path p, String content) throws IOException {
        Files.createDirectories(p.getParent());
        Files.write(p, content.getBytes(StandardCharsets.UTF_8));
    }

    private void file(String name, String content) throws IOException {
        write(base.resolve(name), content);
    }

    private FileRouter router(String... templates) {
        return router(base, templates);
    }

    private FileRouter router(Path dir, String... templates) {
        FileSettings s = FileSettings.parse("main", dir.toString(), templates, null);
        return new FileRouter(s, spy, events, "websocksy.backend.file~test");
    }

    private static Route to(String peer) {
        return Route.to(PeerAddress.parse(peer)).build();
    }

    private static String peerOf(Optional<Route> r) {
        return r.map(x -> x.peer().toString()).orElse("(no route)");
    }

    // ---- variables -------------------------------------------------------------------------------------

    @Test
    void endpointVariableNamesTheFile() throws IOException {
        file("vnc.txt", "tcp://10.0.0.1:5900 *\n");
        assertEquals(Optional.of(to("tcp://10.0.0.1:5900")), router("%endpoint%.txt").route(TestRequest.path("/vnc")));
    }

    @Test
    void endpointSlashesBecomeUnderscores() throws IOException {
        file("a_b_c.txt", "tcp://h:1 *\n");
        assertEquals("tcp://h:1", peerOf(router("%endpoint%.txt").route(TestRequest.path("/a/b/c"))));
    }

    /** R3: the query is not part of the endpoint; outer slashes are dropped and inner runs collapse. */
    @ParameterizedTest
    @ValueSource(strings = {"/foo", "/foo/", "//foo", "/foo//", "///foo///"})
    void r3EndpointVariantsMapToTheSameFile(String path) throws IOException {
        file("foo.txt", "tcp://foo:1 *\n");
        assertEquals("tcp://foo:1", peerOf(router("%endpoint%.txt").route(TestRequest.path(path).query("x", "1"))));
    }

    @Test
    void r3InnerDoubleSlashesCollapse() throws IOException {
        file("a_b.txt", "tcp://ab:1 *\n");
        assertEquals("tcp://ab:1", peerOf(router("%endpoint%.txt").route(TestRequest.path("/a//b"))));
    }

    /** R1 note: the endpoint is percent-decoded once, before sanitising. */
    @Test
    void endpointIsPercentDecodedOnce() throws IOException {
        file("foo.txt", "tcp://foo:1 *\n");
        file("a_b.txt", "tcp://ab:1 *\n");
        file("sp ace.txt", "tcp://space:1 *\n");
        FileRouter r = router("%endpoint%.txt");
        assertEquals("tcp://foo:1", peerOf(r.route(TestRequest.path("/%66oo"))));
        assertEquals("tcp://ab:1", peerOf(r.route(TestRequest.path("/a%2Fb"))));
        assertEquals("tcp://space:1", peerOf(r.route(TestRequest.path("/sp%20ace"))));
    }

    @Test
    void malformedPercentEncodingIsRejected() throws IOException {
        file("foo.txt", "tcp://foo:1 *\n");
        assertEquals(Optional.empty(), router("%endpoint%.txt").route(TestRequest.path("/fo%zz")));
        assertEquals(1, events.rejected.size());
        assertTrue(events.rejected.get(0).contains("malformed percent-encoding"), events.rejected.toString());
    }

    @Test
    void cookieVariable() throws IOException {
        file("sessions/abc.txt", "unix:///run/abc.sock *\n");
        Optional<Route> r = router("sessions/%cookie:session%.txt")
                .route(TestRequest.path("/").cookie("other", "x").cookie("session", "abc"));
        assertEquals("unix:///run/abc.sock", peerOf(r));
    }

    @Test
    void headerVariableNameIsCaseInsensitive() throws IOException {
        file("blue.txt", "tcp://blue:1 *\n");
        FileRouter r = router("%header:X-Route%.txt");
        assertEquals("tcp://blue:1", peerOf(r.route(TestRequest.path("/").header("x-route", "blue"))));
        assertEquals("tcp://blue:1", peerOf(r.route(TestRequest.path("/").header("X-ROUTE", "blue"))));
    }

    /** R4: after ten other headers it is still matched; sent twice with different values it is ambiguous. */
    @Test
    void r4HeaderPositionAndRepeats() throws IOException {
        file("blue.txt", "tcp://blue:1 *\n");
        file("default.txt", "tcp://default:1 *\n");
        FileRouter r = router("%header:X-Route%.txt", "default.txt");
        TestRequest many = TestRequest.path("/");
        for (int i = 0; i < 12; i++) {
            many.header("X-Other-" + i, "v" + i);
        }
        many.header("x-route", "blue");
        assertEquals("tcp://blue:1", peerOf(r.route(many)));

        TestRequest same = TestRequest.path("/").header("X-Route", "blue").header("x-route", "blue");
        assertEquals("tcp://blue:1", peerOf(r.route(same)));

        TestRequest twice = TestRequest.path("/").header("X-Route", "blue").header("X-Route", "red");
        assertEquals("tcp://default:1", peerOf(r.route(twice)));
        assertEquals(1, events.rejected.size());
        assertTrue(events.rejected.get(0).contains("ambiguous"), events.rejected.toString());
    }

    @Test
    void queryVariable() throws IOException {
        file("tokens/t1.txt", "tcp://t1:1 *\n");
        FileRouter r = router("tokens/%query:token%.txt");
        assertEquals("tcp://t1:1", peerOf(r.route(TestRequest.path("/ws").query("token", "t1"))));
        assertEquals(Optional.empty(), r.route(TestRequest.path("/ws").query("token", "t1").query("token", "t2")));
        assertEquals(1, events.rejected.size());
    }

    @Test
    void literalPercent() throws IOException {
        file("100%.txt", "tcp://pct:1 *\n");
        assertEquals("tcp://pct:1", peerOf(router("100%%.txt").route(TestRequest.path("/"))));
    }

    // ---- template order and skipping -----------------------------------------------------------------

    @Test
    void missingVariableSkipsToTheNextTemplate() throws IOException {
        file("default.txt", "tcp://default:1 *\n");
        FileRouter r = router("%cookie:session%.txt", "%header:X-Route%.txt", "%query:t%.txt", "default.txt");
        assertEquals("tcp://default:1", peerOf(r.route(TestRequest.path("/x"))));
        assertTrue(events.rejected.isEmpty(), "a missing variable is not an attack: " + events.rejected);
    }

    @Test
    void emptyValueCountsAsMissing() throws IOException {
        file(".txt", "tcp://hidden:1 *\n");
        file("default.txt", "tcp://default:1 *\n");
        FileRouter r = router("%endpoint%.txt", "%cookie:s%.txt", "default.txt");
        assertEquals("tcp://default:1", peerOf(r.route(TestRequest.path("/").cookie("s", ""))));
    }

    @Test
    void missingFileSkipsToTheNextTemplate() throws IOException {
        file("default.txt", "tcp://default:1 *\n");
        FileRouter r = router("%endpoint%.txt", "default.txt");
        assertEquals("tcp://default:1", peerOf(r.route(TestRequest.path("/nosuch"))));
        assertEquals("tcp://default:1", peerOf(r.route(TestRequest.path("/nosuch/deeper"))));
    }

    @Test
    void missingDirectoryInTheTemplateSkips() throws IOException {
        file("plain", "not a directory\n");
        file("default.txt", "tcp://default:1 *\n");
        FileRouter r = router("plain/%endpoint%.txt", "default.txt");
        assertEquals("tcp://default:1", peerOf(r.route(TestRequest.path("/a"))));
        assertTrue(events.problems.isEmpty(), events.problems.toString());
    }

    @Test
    void firstTemplateThatYieldsWins() throws IOException {
        file("vnc.txt", "tcp://first:1 *\n");
        file("s1.txt", "tcp://second:1 *\n");
        file("default.txt", "tcp://third:1 *\n");
        assertEquals("tcp://first:1", peerOf(router("%endpoint%.txt", "%cookie:s%.txt", "default.txt")
                .route(TestRequest.path("/vnc").cookie("s", "s1"))));
        assertEquals("tcp://second:1", peerOf(router("%cookie:s%.txt", "%endpoint%.txt", "default.txt")
                .route(TestRequest.path("/vnc").cookie("s", "s1"))));
    }

    @Test
    void noTemplateYieldsGivesNoRoute() {
        assertEquals(Optional.empty(), router("%endpoint%.txt", "default.txt").route(TestRequest.path("/x")));
    }

    // ---- line selection ------------------------------------------------------------------------------

    @Test
    void noOffersTakesTheFirstLineAndNoSubprotocol() throws IOException {
        file("f.txt", "tcp://one:1 mqtt binary\ntcp://two:2 *\n");
        Optional<Route> r = router("f.txt").route(TestRequest.path("/"));
        assertEquals(Route.to(PeerAddress.parse("tcp://one:1")).framer("binary").build(), r.orElseThrow());
        assertEquals(Optional.empty(), r.get().subprotocol());
    }

    /** R12: offers a, b against lines * / b / c. */
    @Test
    void r12SubprotocolSelection() throws IOException {
        file("star.txt", "tcp://star:1 *\n");
        file("b.txt", "tcp://c:1 c\ntcp://b:1 b\n");
        file("c.txt", "tcp://c:1 c\n");
        TestRequest ab = TestRequest.path("/").offer("a", "b");
        assertEquals(Optional.of("a"), router("star.txt").route(ab).orElseThrow().subprotocol());
        Route b = router("b.txt").route(ab).orElseThrow();
        assertEquals("tcp://b:1", b.peer().toString());
        assertEquals(Optional.of("b"), b.subprotocol());
        assertEquals(Optional.empty(), router("c.txt").route(ab));
    }

    @Test
    void r12NoMatchingLineTriesTheNextTemplate() throws IOException {
        file("c.txt", "tcp://c:1 c\n");
        file("default.txt", "tcp://default:1 b\n");
        Route r = router("c.txt", "default.txt").route(TestRequest.path("/").offer("a", "b")).orElseThrow();
        assertEquals("tcp://default:1", r.peer().toString());
        assertEquals(Optional.of("b"), r.subprotocol());
    }

    @Test
    void subprotocolMatchIgnoresCaseAndEchoesTheClientsSpelling() throws IOException {
        file("f.txt", "tcp://m:1883 MQTT binary\n");
        Route r = router("f.txt").route(TestRequest.path("/").offer("mqtt")).orElseThrow();
        assertEquals(Optional.of("mqtt"), r.subprotocol());
    }

    @Test
    void dashLineMatchesOnlyClientsWithoutOffers() throws IOException {
        file("f.txt", "tcp://none:1 -\ntcp://any:1 *\n");
        FileRouter r = router("f.txt");
        assertEquals("tcp://none:1", peerOf(r.route(TestRequest.path("/"))));
        Route offered = r.route(TestRequest.path("/").offer("x")).orElseThrow();
        assertEquals("tcp://any:1", offered.peer().toString());
        assertEquals(Optional.of("x"), offered.subprotocol());
    }

    @Test
    void commentsBlankLinesCrlfAndFramingConfigWithSpaces() throws IOException {
        file("f.txt", "\uFEFF# routes\r\n\r\n   \r\n  # indented comment\r\n"
                + "tcp://h:7 \t *\tseparator  \\r\\n  and more  \r\n");
        Route r = router("f.txt").route(TestRequest.path("/")).orElseThrow();
        assertEquals(Route.to(PeerAddress.parse("tcp://h:7")).framer("separator").framerConfig("\\r\\n  and more").build(), r);
    }

    /** R7: bad lines are skipped with a log line naming file:line, and the next good line is used. */
    @Test
    void r7BadLinesAreSkippedWithTheirFileAndLine() throws IOException {
        byte[] bad = "tcp://nonutf8:1 \u00ff\n".getBytes(StandardCharsets.ISO_8859_1);
        String longLine = "tcp://long:1 * newline " + "x".repeat(PeerFile.MAX_LINE_BYTES) + "\n";
        byte[] good = ("tcp://onlypeer:1\n" + "notascheme://h:1 *\n" + longLine + "tcp://ok:1 *\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[bad.length + good.length];
        System.arraycopy(bad, 0, all, 0, bad.length);
        System.arraycopy(good, 0, all, bad.length, good.length);
        Files.write(base.resolve("f.txt"), all);
        assertEquals("tcp://ok:1", peerOf(router("f.txt").route(TestRequest.path("/"))));
        String f = realBase.resolve("f.txt").toString();
        assertEquals(4, events.problems.size(), events.problems.toString());
        assertTrue(events.problems.get(0).contains(f + ":1: not valid UTF-8"), events.problems.get(0));
        assertTrue(events.problems.get(1).contains(f + ":2: no subprotocol column"), events.problems.get(1));
        assertTrue(events.problems.get(2).contains(f + ":3: invalid peer address"), events.problems.get(2));
        assertTrue(events.problems.get(3).contains(f + ":4: line longer than"), events.problems.get(3));
    }

    /** R8: a syntactically bad framer name rejects the line; a well-formed one goes to the bridge as named. */
    @Test
    void r8FramerNamesAreNeverReplacedByAuto() throws IOException {
        file("f.txt", "tcp://bad:1 * fr/amer\ntcp://unknown:1 * nosuch cfg\n");
        Route r = router("f.txt").route(TestRequest.path("/")).orElseThrow();
        assertEquals("tcp://unknown:1", r.peer().toString());
        assertEquals("nosuch", r.framer());
        assertEquals("cfg", r.framerConfig());
        assertEquals(1, events.problems.size());
        assertTrue(events.problems.get(0).contains(":1: framer name 'fr/amer' is not valid"), events.problems.toString());
    }

    /** R7: a 1 MiB line makes the file too large; it is skipped with a log line and nothing crashes. */
    @Test
    void r7OversizedFileIsSkipped() throws IOException {
        file("big.txt", "tcp://big:1 * auto " + "y".repeat(1 << 20) + "\n");
        file("default.txt", "tcp://default:1 *\n");
        assertEquals("tcp://default:1", peerOf(router("big.txt", "default.txt").route(TestRequest.path("/"))));
        assertEquals(1, events.problems.size());
        assertTrue(events.problems.get(0).contains("larger than " + FileRouter.MAX_FILE_BYTES), events.problems.toString());
        assertFalse(spy.read.contains(realBase.resolve("big.txt")), "an oversized file is not even opened");
    }

    @Test
    void directoryIsNotARouteFile() throws IOException {
        Files.createDirectory(base.resolve("dir.txt"));
        file("default.txt", "tcp://default:1 *\n");
        assertEquals("tcp://default:1", peerOf(router("%endpoint%.txt", "default.txt").route(TestRequest.path("/dir"))));
        assertTrue(events.problems.get(0).contains("not a regular file"), events.problems.toString());
    }

    /** A FIFO would block a reader forever; it is refused without being opened. */
    @Test
    void fifoIsNotOpened() throws Exception {
        Path fifo = base.resolve("pipe.txt");
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            assumeTrue(false, "mkfifo not available");
            return;
        }
        assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo failed");
        FileRouter r = router("%endpoint%.txt");
        assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertEquals(Optional.empty(), r.route(TestRequest.path("/pipe"))));
        assertTrue(spy.read.isEmpty());
    }

    @Test
    void editedFileIsReReadAndUnchangedFileComesFromCache() throws IOException {
        Path f = base.resolve("f.txt");
        write(f, "tcp://old:1 *\n");
        FileRouter r = router("f.txt");
        assertEquals("tcp://old:1", peerOf(r.route(TestRequest.path("/"))));
        assertEquals("tcp://old:1", peerOf(r.route(TestRequest.path("/"))));
        assertEquals(1, spy.read.size(), "the second look-up used the cache");
        write(f, "tcp://new:22 *\n");
        Files.setLastModifiedTime(f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() + 5000));
        assertEquals("tcp://new:22", peerOf(r.route(TestRequest.path("/"))));
        assertEquals(2, spy.read.size());
    }

    @Test
    void parseWarningsAreLoggedOncePerFileVersion() throws IOException {
        file("f.txt", "garbage\ntcp://ok:1 *\n");
        FileRouter r = router("f.txt");
        for (int i = 0; i < 5; i++) {
            assertEquals("tcp://ok:1", peerOf(r.route(TestRequest.path("/"))));
        }
        assertEquals(1, events.problems.size(), events.problems.toString());
    }

    @Test
    void vanishedBaseGivesNoRouteAndALogLine() throws IOException {
        file("f.txt", "tcp://ok:1 *\n");
        FileRouter r = router("f.txt");
        Files.delete(base.resolve("f.txt"));
        Files.delete(base);
        assertEquals(Optional.empty(), r.route(TestRequest.path("/")));
        assertTrue(events.problems.get(0).contains("base directory"), events.problems.toString());
    }

    // ---- traversal (docs/conformance.md R1, R2, R6) ----------------------------------------------------------

    /**
     * R1: hostile endpoints against templates that would escape if the endpoint could be {@code ..}. Nothing
     * outside the base is touched (checked after each test), no route, and no exception.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/..", "/.", "/", "/..%2f..%2fsecret", "/%2e%2e", "/%2E%2E", "/%252e%252e",
            "/..\\secret", "/....//", "/%c0%ae%c0%ae", "/\uff0e\uff0e", "/%ef%bc%8e%ef%bc%8e", "/%00", "/a%00b",
            "/%0a", "/..%00", "/%2e%2e%2fsecret", "/\u2024\u2024", "/a\uff0fb"})
    void r1HostileEndpointsNeverLeaveTheBase(String path) {
        FileRouter r = router("%endpoint%", "%endpoint%/x.txt", "%endpoint%/secret.txt",
                "%endpoint%.txt");
        assertEquals(Optional.empty(), r.route(TestRequest.path(path)), path);
        for (String line : events.rejected) {
            assertTrue(line.contains("rejected"), line);
            assertFalse(line.chars().anyMatch(c -> c < 0x20), "log line must be escaped: " + line);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/..", "/.", "/%2e%2e", "/%00", "/..\\secret", "/%c0%ae%c0%ae", "/\uff0e\uff0e"})
    void r1DangerousEndpointsAreLogged(String path) {
        router("%endpoint%/x.txt").route(TestRequest.path(path));
        assertEquals(1, events.rejected.size(), path + " -> " + events.rejected);
        assertTrue(events.rejected.get(0).contains("template '%endpoint%/x.txt'"), events.rejected.get(0));
    }

    @Test
    void r1VeryLongEndpointIsRejected() throws IOException {
        file("default.txt", "tcp://default:1 *\n");
        String longName = "/" + "a".repeat(300);
        assertEquals("tcp://default:1", peerOf(router("%endpoint%.txt", "default.txt").route(TestRequest.path(longName))));
        assertTrue(events.rejected.get(0).contains("longer than 255 bytes"), events.rejected.toString());
        String longMultibyte = "/" + "\u00e9".repeat(200); // 400 bytes of UTF-8
        assertEquals("tcp://default:1", peerOf(router("%endpoint%.txt", "default.txt").route(TestRequest.path(longMultibyte))));
    }

    @Test
    void r1LongExpansionOfShortValuesIsRejected() throws IOException {
        file("default.txt", "tcp://default:1 *\n");
        String v = "b".repeat(250);
        FileRouter r = router("%cookie:a%/%cookie:a%/%cookie:a%/%cookie:a%/%cookie:a%.txt", "default.txt");
        assertEquals("tcp://default:1", peerOf(r.route(TestRequest.path("/").cookie("a", v))));
        assertTrue(events.rejected.get(0).contains("path longer than"), events.rejected.toString());
    }

    /** R2: the C original's traversal through the template's own slash. */
    @Test
    void r2CookieDotDotThroughTemplateSlash() throws IOException {
        file("default.txt", "tcp://default:1 *\n");
        FileRouter r = router("%cookie:a%/%cookie:b%.txt");
        assertEquals(Optional.empty(), r.route(TestRequest.path("/").cookie("a", "..").cookie("b", "secret")));
        assertEquals(Optional.empty(), r.route(TestRequest.path("/").cookie("a", ".").cookie("b", "default")));
        assertEquals(Optional.empty(), r.route(TestRequest.path("/").cookie("a", "..").cookie("b", "..")));
        assertEquals(3, events.rejected.size(), events.rejected.toString());
        assertTrue(events.rejected.get(0).contains("template '%cookie:a%/%cookie:b%.txt'"), events.rejected.get(0));
        assertTrue(events.rejected.get(0).contains("'../secret.txt'"), events.rejected.get(0));
        assertTrue(events.rejected.get(0).contains("'..' path segment"), events.rejected.get(0));
    }

    @Test
    void r2SlashInsideAValueCannotClimb() throws IOException {
        file("x/.._secret.txt", "tcp://inside:1 *\n");
        FileRouter r = router("x/%cookie:b%.txt");
        assertEquals("tcp://inside:1", peerOf(r.route(TestRequest.path("/").cookie("b", "../secret"))));
    }

    @Test
    void headerWithBackslashOrControlIsRejected() {
        FileRouter r = router("%header:X-Route%.txt");
        assertEquals(Optional.empty(), r.route(TestRequest.path("/").header("X-Route", "..\\secret")));
        assertEquals(Optional.empty(), r.route(TestRequest.path("/").header("X-Route", "a\u0001b")));
        assertEquals(Optional.empty(), r.route(TestRequest.path("/").header("X-Route", "a\u0085b")));
        assertEquals(3, events.rejected.size(), events.rejected.toString());
        assertTrue(events.rejected.get(1).contains("a\\x01b"), "escaped in the log: " + events.rejected.get(1));
    }

    /** R6: a symlink inside the base that points outside is refused; one that stays inside works. */
    @Test
    void r6SymlinkOutOfTheBaseIsRefused() throws IOException {
        Files.createSymbolicLink(base.resolve("escape.txt"), root.resolve("secret.txt"));
        Files.createSymbolicLink(base.resolve("dir"), root);
        file("real.txt", "tcp://inside:1 *\n");
        Files.createSymbolicLink(base.resolve("alias.txt"), base.resolve("real.txt"));
        Files.createSymbolicLink(base.resolve("self"), base);

        FileRouter r = router("%endpoint%.txt");
        assertEquals(Optional.empty(), r.route(TestRequest.path("/escape")));
        assertTrue(events.rejected.get(0).contains("(symbolic link)"), events.rejected.toString());
        assertEquals(Optional.empty(), router("dir/%endpoint%.txt").route(TestRequest.path("/secret")));
        assertEquals(2, events.rejected.size(), events.rejected.toString());
        assertEquals("tcp://inside:1", peerOf(r.route(TestRequest.path("/alias"))));
        assertEquals("tcp://inside:1", peerOf(router("self/%endpoint%.txt").route(TestRequest.path("/real"))));
    }

    @Test
    void r6DanglingSymlinkIsAMissingFile() throws IOException {
        Files.createSymbolicLink(base.resolve("dangling.txt"), root.resolve("nothing-here"));
        file("default.txt", "tcp://default:1 *\n");
        assertEquals("tcp://default:1", peerOf(router("%endpoint%.txt", "default.txt").route(TestRequest.path("/dangling"))));
    }

    @Test
    void baseMayItselfBeASymlink() throws IOException {
        file("vnc.txt", "tcp://vnc:1 *\n");
        Path link = Files.createSymbolicLink(root.resolve("link-to-files"), base);
        FileSettings s = FileSettings.parse("main", link.toString(), new String[] {"%endpoint%.txt"}, null);
        FileRouter r = new FileRouter(s, FileAccess.SYSTEM, events, "pid");
        assertEquals("tcp://vnc:1", peerOf(r.route(TestRequest.path("/vnc"))));
        assertEquals(Optional.empty(), r.route(TestRequest.path("/..")));
    }

    @Test
    void peerProxyProtocolGoesOnStreamRoutesOnly() throws IOException {
        file("vnc.txt", "tcp://10.0.0.1:5900 *\n");
        file("dns.txt", "udp://10.0.0.1:53 *\n");
        FileSettings s = FileSettings.parse("main", base.toString(), new String[] {"%endpoint%.txt"}, null, "v1");
        FileRouter r = new FileRouter(s, spy, events, "websocksy.backend.file~test");
        assertEquals(io.websocksy.api.backend.PeerProxyProtocol.V1,
                r.route(TestRequest.path("/vnc")).get().peerProxyProtocol());
        assertEquals(io.websocksy.api.backend.PeerProxyProtocol.OFF,
                r.route(TestRequest.path("/dns")).get().peerProxyProtocol());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> FileSettings.parse("main", base.toString(), new String[] {"%endpoint%.txt"}, null, "on"));
    }
}
