package io.websocksy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;

import io.websocksy.itests.support.Poll;
import io.websocksy.itests.support.TcpPeer;
import io.websocksy.itests.support.WsClient;

/**
 * The listener's {@code web} keys through ConfigAdmin in the real framework: files and a bridged
 * WebSocket on one port, traversal 404, and live changes (another directory, then {@code web} removed,
 * when a plain GET is the strict 400 again) applied to new connections without a restart.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StaticFilesIT extends BridgeTestBase {
    @Override
    protected String[] framers() {
        return new String[] {"auto"};
    }

    @Test
    public void webKeysLiveThroughConfigAdmin() throws Exception {
        Path tmp = Files.createTempDirectory("websocksy-static-it");
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        Files.writeString(a.resolve("index.html"), "site a\n");
        Files.writeString(b.resolve("index.html"), "site b\n");
        Files.writeString(tmp.resolve("secret.txt"), "secret");
        TcpPeer echo = bridge.track(TcpPeer.echo());
        int port = bridge.listener(bridge.defaultBackend(echo.address()), "web", a.toString(),
                "web-cache-control", "max-age=5");

        WebsockifyIT.Http h = WebsockifyIT.Http.get(port, "/");
        assertEquals(200, h.status);
        assertEquals("site a\n", h.body);
        assertEquals("max-age=5", h.headers.get("cache-control"));
        for (String t : new String[] {"/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt"}) {
            WebsockifyIT.Http r = WebsockifyIT.Http.get(port, t);
            assertEquals(t, 404, r.status);
            assertFalse(t, r.body.contains("secret"));
        }
        try (WsClient c = WsClient.connect(port, "/ws")) {
            c.sendText("same port");
            assertEquals("same port", c.nextMessage(Duration.ofSeconds(10)).string());
        }

        Configuration cfg = cm.listConfigurations("(port=" + port + ")")[0];
        Dictionary<String, Object> props = cfg.getProperties();
        props.put("web", b.toString());
        cfg.update(props);
        Poll.until(Duration.ofSeconds(30), "web moved to b",
                () -> io.websocksy.itests.support.RealClients.quietly(
                        () -> WebsockifyIT.Http.get(port, "/").body.equals("site b\n")).getAsBoolean());

        props.remove("web");
        cfg.update(props);
        Poll.until(Duration.ofSeconds(30), "web off: a plain GET is 400 again",
                io.websocksy.itests.support.RealClients.quietly(() -> WebsockifyIT.Http.get(port, "/").status == 400));
        try (WsClient c = WsClient.connect(port, "/ws")) {
            c.sendText("still bridged");
            assertTrue(c.nextMessage(Duration.ofSeconds(10)).string().equals("still bridged"));
        }
    }
}
