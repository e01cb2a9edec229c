package io.websocksy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.Assume;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.websocksy.itests.support.Ports;
import io.websocksy.itests.support.TcpPeer;

/**
 * A real browser: headless Chromium (Debian's package; {@code .ci/run} installs it) loads a page from a
 * JDK HTTP server in this test, opens WebSockets to the runtime and exchanges text (non-ASCII) and
 * binary messages (up to 1 MiB) with TCP echo peers, then closes with 1000, twice: on listeners with
 * compression off (Chromium's permessage-deflate offer is declined: no extension) and with
 * {@code compression = on} (permessage-deflate negotiated, the same exchanges compressed both ways).
 * The page also checks that a listener whose allowed-origins does not include the page's origin
 * refuses it (H13 with the Origin a browser really sends). Results come back by POST.
 *
 * <p>Skipped, with a message saying so, only when {@code /usr/bin/chromium} is absent; {@code .ci/run}
 * installs Debian's package first.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BrowserIT extends BridgeTestBase {
    static final String CHROMIUM = "/usr/bin/chromium";

    @Override
    protected String[] framers() {
        return new String[] {"auto", "binary"};
    }

    static final String PAGE = """
            <!doctype html><html><head><meta charset="utf-8"><title>websocksy browser test</title></head><body><script>
            const P = new URLSearchParams(location.search);
            const results = {};
            function report(k, v) { results[k] = v; }
            function post() {
              return fetch('/result', {method: 'POST', body: JSON.stringify(results)});
            }
            function open(port) {
              return new Promise((resolve, reject) => {
                const ws = new WebSocket('ws://127.0.0.1:' + port + '/browser');
                ws.binaryType = 'arraybuffer';
                ws.onopen = () => resolve(ws);
                ws.onerror = () => reject(new Error('error before open'));
                ws.onclose = e => reject(new Error('closed before open: ' + e.code));
              });
            }
            function next(ws) {
              return new Promise((resolve, reject) => {
                ws.onmessage = e => resolve(e.data);
                ws.onclose = e => reject(new Error('closed: ' + e.code + ' ' + e.reason));
              });
            }
            function closed(ws, code, reason) {
              return new Promise(resolve => {
                ws.onclose = e => resolve(e.code + ' ' + e.wasClean);
                ws.close(code, reason);
              });
            }
            async function suite(pre, textPort, binPort) {
                const text = await open(textPort);
                report(pre + 'extensions', text.extensions);
                const words = ['héllo wörld', 'κόσμε', '日本語テキスト', 'emoji 😀 and 𝄞 clef', 'plain ascii',
                  '{"sensor":"t1","value":21.5,"unit":"°C"} '.repeat(500)];
                for (const w of words) {
                  text.send(w);
                  let back = '';
                  while (back.length < w.length) { const d = await next(text); back += (typeof d === 'string') ? d : '?'; }
                  report(pre + 'text:' + (w.length > 40 ? 'long json' : w), back === w);
                }
                report(pre + 'textClose', await closed(text, 1000, 'done'));

                const bin = await open(binPort);
                report(pre + 'binExtensions', bin.extensions);
                for (const size of [1, 1000, 65536, 1048576]) {
                  const data = new Uint8Array(size);
                  for (let i = 0; i < size; i++) data[i] = (i * 7 + (i >> 8)) & 255;
                  bin.send(data.buffer);
                  let got = 0, same = true;
                  while (got < size) {
                    const d = await next(bin);
                    if (typeof d === 'string') { same = false; break; }
                    const a = new Uint8Array(d);
                    for (let i = 0; i < a.length; i++) if (a[i] !== data[got + i]) { same = false; }
                    got += a.length;
                  }
                  report(pre + 'binary:' + size, same && got === size);
                }
                report(pre + 'binaryClose', await closed(bin, 1000, 'done'));
            }
            async function run() {
              try {
                await suite('', P.get('text'), P.get('binary'));
                await suite('z.', P.get('ztext'), P.get('zbinary'));
                try {
                  const refused = await open(P.get('foreign'));
                  report('foreignOrigin', 'opened');
                  refused.close();
                } catch (e) {
                  report('foreignOrigin', 'refused');
                }
              } catch (e) {
                report('error', String(e));
              }
              await post();
            }
            run();
            </script></body></html>
            """;

    @Test
    public void browserExchangesTextAndBinaryAndClosesWith1000() throws Exception {
        boolean present = new File(CHROMIUM).canExecute();
        if (!present) {
            System.err.println("BrowserIT skipped: " + CHROMIUM + " is absent (apt-get install chromium to run it)");
        }
        Assume.assumeTrue("skipped: " + CHROMIUM + " is absent (apt-get install chromium to run it)", present);

        TcpPeer echo = bridge.track(TcpPeer.echo());
        int textPort = bridge.listener(bridge.defaultBackend(echo.address()));
        int binaryPort = bridge.listener(bridge.defaultBackend(echo.address(), "framing", "binary"));
        // permessage-deflate (issue 18): Chromium offers it, these listeners accept it
        int zBinaryPort = bridge.listener(bridge.defaultBackend(echo.address(), "framing", "binary"), "compression", "on");

        Map<String, String> result = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(1);
        PageServer http = new PageServer(PAGE, json -> {
            result.put("json", json);
            done.countDown();
        });
        String origin = "http://127.0.0.1:" + http.port();
        int foreignPort = bridge.listener(bridge.defaultBackend(echo.address()), "allowed-origins", "https://elsewhere.example");
        int allowedPort = bridge.listener(bridge.defaultBackend(echo.address()), "allowed-origins", origin);
        int zTextPort = bridge.listener(bridge.defaultBackend(echo.address()), "allowed-origins", origin, "compression", "on");
        Path profile = Files.createTempDirectory("wsy-chromium");
        Process browser = null;
        try {
            String url = origin + "/page.html?text=" + allowedPort + "&binary=" + binaryPort + "&foreign=" + foreignPort
                    + "&ztext=" + zTextPort + "&zbinary=" + zBinaryPort;
            browser = new ProcessBuilder(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--user-data-dir=" + profile, url)
                    .redirectErrorStream(true).redirectOutput(profile.resolveSibling(profile.getFileName() + ".log").toFile())
                    .start();
            if (!done.await(120, TimeUnit.SECONDS)) {
                fail("the page reported nothing within 120 s; browser log: " + log(profile));
            }
        } finally {
            if (browser != null) {
                browser.descendants().forEach(ProcessHandle::destroyForcibly);
                browser.destroyForcibly();
                browser.waitFor(20, TimeUnit.SECONDS);
            }
            http.close();
            try (Stream<Path> w = Files.walk(profile)) {
                w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        String json = result.get("json");
        System.out.println("BrowserIT: page reported " + json);
        assertTrue("page error: " + json, !json.contains("\"error\""));
        assertTrue("no extension negotiated with compression off although Chromium offers permessage-deflate: " + json,
                json.contains("\"extensions\":\"\""));
        assertTrue("permessage-deflate negotiated with compression on: " + json,
                json.contains("\"z.extensions\":\"permessage-deflate") && json.contains("\"z.binExtensions\":\"permessage-deflate"));
        for (String pre : new String[] {"", "z."}) {
            for (String w : new String[] {"héllo wörld", "κόσμε", "日本語テキスト", "emoji 😀 and 𝄞 clef", "plain ascii", "long json"}) {
                assertTrue(pre + "text echo of '" + w + "': " + json, json.contains("\"" + pre + "text:" + w + "\":true"));
            }
            for (int size : new int[] {1, 1000, 65536, 1048576}) {
                assertTrue(pre + "binary echo of " + size + " bytes: " + json, json.contains("\"" + pre + "binary:" + size + "\":true"));
            }
            assertTrue(pre + "text connection closed cleanly with 1000: " + json, json.contains("\"" + pre + "textClose\":\"1000 true\""));
            assertTrue(pre + "binary connection closed cleanly with 1000: " + json,
                    json.contains("\"" + pre + "binaryClose\":\"1000 true\""));
        }
        assertEquals("a listener that does not allow the page's origin refuses the browser", true,
                json.contains("\"foreignOrigin\":\"refused\""));
    }

    private static String log(Path profile) {
        try {
            return Files.readString(profile.resolveSibling(profile.getFileName() + ".log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /**
     * The page's HTTP server (plain sockets: the JDK's com.sun.net.httpserver is not visible inside the
     * framework): GET serves the page, POST /result hands the body to the callback. One request per
     * connection.
     */
    static final class PageServer implements AutoCloseable {
        private final java.net.ServerSocket server;

        PageServer(String page, java.util.function.Consumer<String> onResult) throws IOException {
            server = new java.net.ServerSocket(0, 50, Ports.LOOPBACK);
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try (java.net.Socket s = server.accept()) {
                        s.setSoTimeout(30_000);
                        java.io.InputStream in = s.getInputStream();
                        String head = io.websocksy.itests.support.RawHttp.readHead(in);
                        String requestLine = head.substring(0, head.indexOf("\r\n"));
                        int length = 0;
                        for (String line : head.split("\r\n")) {
                            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                                length = Integer.parseInt(line.substring(15).trim());
                            }
                        }
                        byte[] body = in.readNBytes(length);
                        OutputStream out = s.getOutputStream();
                        if (requestLine.startsWith("POST /result")) {
                            out.write("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                            onResult.accept(new String(body, StandardCharsets.UTF_8));
                        } else if (requestLine.startsWith("GET /page.html")) {
                            byte[] b = page.getBytes(StandardCharsets.UTF_8);
                            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nCache-Control: no-store\r\n"
                                    + "Content-Length: " + b.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                            out.write(b);
                        } else {
                            out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
                        }
                        out.flush();
                    } catch (IOException e) {
                        // closed, or a connection the browser gave up on
                    }
                }
            }, "browser-page-server");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
