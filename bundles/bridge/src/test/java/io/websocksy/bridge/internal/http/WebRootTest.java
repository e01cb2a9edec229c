package io.websocksy.bridge.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.websocksy.bridge.internal.config.ListenerConfig;
import io.websocksy.bridge.internal.config.ListenerSettings;
import io.websocksy.bridge.internal.config.PropertyReader;

/** The mapping of request paths onto the web directory: traversal in every spelling gets NOT_FOUND. */
class WebRootTest {
    @TempDir
    static Path tmp;
    static Path root;
    static WebRoot web;
    static WebRoot listing;

    @BeforeAll
    static void tree() throws Exception {
        root = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(tmp.resolve("secret.txt"), "secret");
        Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(tmp.resolve("outside/secret.txt"), "secret");
        Files.writeString(root.resolve("index.html"), "<p>index</p>");
        Files.createDirectories(root.resolve("app"));
        Files.writeString(root.resolve("app/ui.js"), "export {}");
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/a b.txt"), "a");
        Files.createDirectories(root.resolve("sub/inner"));
        Files.createSymbolicLink(root.resolve("out-link"), tmp.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("out-dir"), tmp.resolve("outside"));
        Files.createSymbolicLink(root.resolve("sub/out-link"), tmp.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("in-link.js"), root.resolve("app/ui.js"));
        Files.createSymbolicLink(root.resolve("dangling"), tmp.resolve("nothing-here"));
        Process p = new ProcessBuilder("mkfifo", root.resolve("fifo").toString()).start();
        p.waitFor();
        web = parse(Map.of("web", root.toString()));
        listing = parse(Map.of("web", root.toString(), "web-listing", "true"));
    }

    static WebRoot parse(Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(extra);
        props.put("service.pid", "websocksy.listener~t");
        return ListenerSettings.webRoot(new PropertyReader(ListenerConfig.PID, props));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/../secret.txt", "/app/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/.%2e/secret.txt",
        "/%2e./secret.txt", "/..%2fsecret.txt", "/..%2Fsecret.txt", "/%2e%2e%2fsecret.txt", "/app/..%2f..%2fsecret.txt",
        "/..\\secret.txt", "/..%5csecret.txt", "/app\\..\\..\\secret.txt", "/%5c..%5csecret.txt",
        "/index.html%00", "/index.html%00.js", "/%00", "/app%2fui.js", "/%2fetc/passwd", "//etc/passwd",
        "/./index.html", "/app/./ui.js", "/.", "/..", "/app/..", "/%c0%ae%c0%ae/secret.txt", "/%ff", "/%", "/%2",
        "/%zz", "/index.html%0a", "/out-link", "/out-dir/secret.txt", "/out-dir/", "/sub/out-link", "/dangling",
        "/fifo", "/index.html/", "/sub/", "/missing.html", "/app//ui.js", "/app/ui.js/..", "/sub/inner/"})
    void refused(String target) {
        WebRoot.Resolved r = web.resolve(target);
        assertEquals(WebRoot.Kind.NOT_FOUND, r.kind, target + " -> " + r);
    }

    @Test
    void refusedWithListingOnToo() {
        for (String t : List.of("/out-dir/", "/../", "/%2e%2e/", "/sub/%2e%2e/")) {
            assertEquals(WebRoot.Kind.NOT_FOUND, listing.resolve(t).kind, t);
        }
    }

    @Test
    void files() throws Exception {
        WebRoot.Resolved r = web.resolve("/");
        assertEquals(WebRoot.Kind.FILE, r.kind);
        assertEquals(root.toRealPath().resolve("index.html"), r.path);
        assertEquals(root.toRealPath().resolve("app/ui.js"), web.resolve("/app/ui.js?autoconnect=1&x=/..").path);
        assertEquals(root.toRealPath().resolve("app/ui.js"), web.resolve("/%61pp/ui%2Ejs").path);
        WebRoot.Resolved link = web.resolve("/in-link.js");
        assertEquals(WebRoot.Kind.FILE, link.kind, "a symlink that stays inside is served");
        assertEquals(root.toRealPath().resolve("app/ui.js"), link.path);
        assertEquals(WebRoot.Kind.FILE, web.resolve("/sub/a%20b.txt").kind);
    }

    @Test
    void directoryWithoutSlashRedirects() {
        WebRoot.Resolved r = web.resolve("/app?x=1");
        assertEquals(WebRoot.Kind.REDIRECT, r.kind);
        assertEquals("/app/?x=1", r.text);
        assertEquals(WebRoot.Kind.NOT_FOUND, web.resolve("/app/").kind, "no index.html in app/, listing off");
    }

    @Test
    void listingOnlyWhenEnabledAndOnlyInsideEntries() {
        WebRoot.Resolved r = listing.resolve("/sub/");
        assertEquals(WebRoot.Kind.LISTING, r.kind);
        assertEquals(List.of("a b.txt", "inner/"), r.entries, "the symlink leaving the directory is not listed");
        WebRoot.Resolved top = listing.resolve("/");
        assertEquals(WebRoot.Kind.FILE, top.kind, "the index wins over a listing");
    }

    @Test
    void noIndexConfigured() {
        WebRoot w = parse(Map.of("web", root.toString(), "web-index", ""));
        assertEquals(WebRoot.Kind.NOT_FOUND, w.resolve("/").kind);
    }

    @Test
    void badSettings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse(Map.of("web", tmp.resolve("nope").toString())));
        assertTrue(e.getMessage().contains("web = "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> parse(Map.of("web", tmp.resolve("secret.txt").toString())));
        assertThrows(IllegalArgumentException.class, () -> parse(Map.of("web", root.toString(), "web-index", "../x")));
        assertThrows(IllegalArgumentException.class,
                () -> parse(Map.of("web", root.toString(), "web-cache-control", "max-age=1\r\nX: y")));
        assertEquals(null, parse(Map.of("web", "")));
        assertEquals(null, parse(Map.of()));
    }

    @Test
    void segmentCodec() {
        assertEquals("a b", WebRoot.decodeSegment("a%20b"));
        assertEquals("é", WebRoot.decodeSegment("%C3%A9"));
        assertEquals("a%20b%2F%C3%A9", WebRoot.encodeSegment("a b/é"));
        assertEquals("x.y-z_~", WebRoot.encodeSegment("x.y-z_~"));
        assertEquals("..", new String("..".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }

    @Test
    void contentTypes() {
        assertEquals("text/html; charset=utf-8", ContentTypes.of("vnc.html"));
        assertEquals("text/javascript; charset=utf-8", ContentTypes.of("rfb.js"));
        assertEquals("text/javascript; charset=utf-8", ContentTypes.of("x.MJS"));
        assertEquals("text/css; charset=utf-8", ContentTypes.of("base.css"));
        assertEquals("application/json", ContentTypes.of("de.json"));
        assertEquals("image/svg+xml", ContentTypes.of("logo.svg"));
        assertEquals("image/png", ContentTypes.of("a.png"));
        assertEquals("image/vnd.microsoft.icon", ContentTypes.of("favicon.ico"));
        assertEquals("font/woff2", ContentTypes.of("f.woff2"));
        assertEquals("application/wasm", ContentTypes.of("m.wasm"));
        assertEquals("application/json", ContentTypes.of("rfb.js.map"));
        assertEquals("audio/ogg", ContentTypes.of("bell.oga"));
        assertEquals(ContentTypes.DEFAULT, ContentTypes.of("README"));
        assertEquals(ContentTypes.DEFAULT, ContentTypes.of("x."));
    }
}
