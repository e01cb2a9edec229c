package io.websocksy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.Test;

import io.websocksy.itests.support.Poll;
import io.websocksy.itests.support.Ports;
import io.websocksy.itests.support.RealClients;
import io.websocksy.itests.support.Websocksy;

/**
 * The README's noVNC recipe, exactly as written there: {@code bin/websocksy websockify --web
 * /usr/share/novnc PORT localhost:VNCPORT} (Debian's novnc package, the page users open, vnc.html), in
 * headless Chromium (Debian's package driven by npm playwright-core), to x11vnc on Xvfb. The X display's
 * root is painted with {@code xsetroot -solid #3366cc}; an xterm in its corner waits for one line. The page
 * connects by itself ({@code ?autoconnect=true}), the test reads the root colour off the rendered page
 * (the framebuffer arrived through the bridge), clicks into the xterm and types a line, which the xterm
 * writes to a file (the key presses reached the X server). Traversal requests on that listener get 404.
 *
 * <p>Skipped, saying which package is missing, only without xvfb, x11-xserver-utils, xterm, x11vnc,
 * novnc, chromium, node or the npm packages; {@code .ci/run} installs them all.
 */
public class NoVncIT {
    private static final String ROOT_HEX = "#3366cc";
    private static final String ROOT_RGB = "51,102,204";

    @Test
    public void noVncInChromiumThroughWebsockifyMode() throws Exception {
        RealClients.require("NoVncIT", "/usr/bin/Xvfb", "xvfb", "/usr/bin/xsetroot", "x11-xserver-utils",
                "/usr/bin/xterm", "xterm", "/usr/bin/x11vnc", "x11vnc", "/usr/share/novnc/vnc.html", "novnc",
                "/usr/bin/chromium", "chromium", "/usr/bin/node", "nodejs");
        Path work = Files.createTempDirectory("websocksy-novnc-it");
        Path deploy = Files.createDirectories(work.resolve("deploy"));
        Path typed = work.resolve("typed.txt");
        int display = RealClients.freeDisplay();
        List<String> x = List.of("DISPLAY=:" + display);
        int vncPort = Ports.freePort();
        int port = Ports.freePort();
        // -noreset: without it the X server resets (root black again) when xsetroot, its only client, exits
        try (RealClients.Child xvfb = RealClients.start(work, "xvfb", List.of(), "/usr/bin/Xvfb", ":" + display,
                "-screen", "0", "800x600x24", "-nolisten", "tcp", "-noreset")) {
            Poll.until(Duration.ofSeconds(30), "Xvfb :" + display + " up: " + xvfb.log(),
                    RealClients.quietly(() -> new File("/tmp/.X11-unix/X" + display).exists()
                            && RealClients.run(work, "xsetroot", x, Duration.ofSeconds(20), "/usr/bin/xsetroot",
                                    "-solid", ROOT_HEX) == 0));
            try (RealClients.Child xterm = RealClients.start(work, "xterm", x, "/usr/bin/xterm", "-geometry",
                    "40x8+0+0", "-e", "sh", "-c", "IFS= read -r l; printf '%s' \"$l\" > '" + typed + "'; sleep 600");
                    RealClients.Child vnc = RealClients.start(work, "x11vnc", x, "/usr/bin/x11vnc", "-display",
                            ":" + display, "-rfbport", String.valueOf(vncPort), "-listen", "127.0.0.1", "-noipv6",
                            "-nopw", "-forever", "-shared");
                    Websocksy w = Websocksy.start(work, deploy, null, "websockify", "--web", "/usr/share/novnc",
                            "127.0.0.1:" + port, "localhost:" + vncPort)) {
                Poll.until(Duration.ofSeconds(30), "x11vnc listening: " + vnc.log(), () -> Ports.accepts(vncPort));
                w.awaitLog("command-line settings applied", Duration.ofSeconds(90));

                for (String t : List.of("/../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                        "/..%2f..%2f..%2fetc%2fpasswd", "/app/..%5c..%5c..%5c..%5cetc/passwd", "/vnc.html%00.js",
                        "/app/%2E%2E/%2E%2E/%2E%2E/etc/passwd")) {
                    WebsockifyIT.Http h = WebsockifyIT.Http.get(port, t);
                    assertEquals(t, 404, h.status);
                    assertFalse(t, h.body.contains("root:"));
                }
                assertEquals(200, WebsockifyIT.Http.get(port, "/vnc.html").status);

                String json = RealClients.node(work, "novnc.js", Duration.ofSeconds(180),
                        "http://127.0.0.1:" + port + "/vnc.html?autoconnect=true", "790", "590", ROOT_RGB, "60", "40",
                        "websocksy novnc");
                assertTrue("the framebuffer is the X display's 800x600: " + json, json.contains("\"size\":[800,600]"));
                assertTrue("the X root colour " + ROOT_HEX + " arrived through the bridge: " + json,
                        json.contains("\"pixel\":[" + ROOT_RGB + "]"));
                assertTrue("noVNC says connected: " + json, json.contains("Connected"));
                Poll.until(Duration.ofSeconds(20), "the typed line reached the xterm on the X server (" + typed + ")",
                        RealClients.quietly(() -> Files.exists(typed)
                                && Files.readString(typed, StandardCharsets.UTF_8).equals("websocksy novnc")));
                String log = w.log();
                assertTrue(log, log.contains("/websockify -> tcp://localhost:" + vncPort + " framer=binary"));
                assertTrue(log, log.contains("GET /%2e%2e/%2e%2e/%2e%2e/etc/passwd -> 404 dot segment in path"));
            }
        }
    }
}
