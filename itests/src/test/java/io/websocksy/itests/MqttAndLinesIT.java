package io.websocksy.itests;

import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import io.websocksy.itests.support.Poll;
import io.websocksy.itests.support.Ports;
import io.websocksy.itests.support.RealClients;
import io.websocksy.itests.support.Websocksy;
import io.websocksy.itests.support.WsClient;

/**
 * The README's MQTT and line-protocol recipes, as {@code .cfg} files in the deploy directory of the
 * assembled distribution, with the clients users run:
 * <ul>
 * <li>MQTT.js (npm {@code mqtt}) in node and in headless Chromium, subprotocol {@code mqtt}, binary framing,
 * to Debian's mosquitto on its plain TCP port: subscribe, publish QoS 0/1/2, a 256 KiB message, a retained
 * message seen by a new connection. The browser page and mqtt.min.js come from the listener's {@code web}
 * directory, so page and broker share one port.</li>
 * <li>a line protocol (a TCP server in this test: three greeting lines, then each line back in upper case)
 * through the {@code newline} framer, from a page in Chromium: one text message per line.</li>
 * </ul>
 * Skipped, saying which package is missing, only without mosquitto, chromium, node or the npm packages;
 * {@code .ci/run} installs them.
 */
public class MqttAndLinesIT {
    private static Path work;
    private static RealClients.Child mosquitto;
    private static Websocksy websocksy;
    private static ServerSocket lineServer;
    private static int mqttPort;
    private static int linesPort;

    @BeforeClass
    public static void start() throws Exception {
        RealClients.require("MqttAndLinesIT", "/usr/sbin/mosquitto", "mosquitto", "/usr/bin/chromium", "chromium",
                "/usr/bin/node", "nodejs");
        work = Files.createTempDirectory("websocksy-mqtt-lines-it");
        Path deploy = Files.createDirectories(work.resolve("deploy"));
        Path web = Files.createDirectories(work.resolve("web"));
        for (String f : List.of("mqtt.html", "mqtt-scenario.js", "lines.html")) {
            Files.copy(RealClients.DIR.resolve(f), web.resolve(f));
        }
        Files.copy(RealClients.DIR.resolve("node_modules/mqtt/dist/mqtt.min.js"), web.resolve("mqtt.min.js"));

        int broker = Ports.freePort();
        Path conf = Files.writeString(work.resolve("mosquitto.conf"), "listener " + broker + " 127.0.0.1\n"
                + "allow_anonymous true\npersistence false\nmessage_size_limit 0\n");
        mosquitto = RealClients.start(work, "mosquitto", List.of(), "/usr/sbin/mosquitto", "-c", conf.toString());
        Poll.until(Duration.ofSeconds(30), "mosquitto listening: " + mosquitto.log(), () -> Ports.accepts(broker));

        lineServer = new ServerSocket(0, 50, Ports.LOOPBACK);
        Thread t = new Thread(MqttAndLinesIT::serveLines, "line-server");
        t.setDaemon(true);
        t.start();

        mqttPort = Ports.freePort();
        linesPort = Ports.freePort();
        // the README recipes, file by file
        Websocksy.writeAtomically(deploy, "websocksy.backend.default-mqtt.cfg", "name = mqtt\nhost = tcp://127.0.0.1:"
                + broker + "\nframing = binary\nprotocol = mqtt\n");
        Websocksy.writeAtomically(deploy, "websocksy.listener-mqtt.cfg", "listen = 127.0.0.1\nport = " + mqttPort
                + "\nbackend = mqtt\nweb = " + web + "\n");
        Websocksy.writeAtomically(deploy, "websocksy.backend.default-lines.cfg", "name = lines\nhost = tcp://127.0.0.1:"
                + lineServer.getLocalPort() + "\nframing = newline\nframing-config = lf\n");
        Websocksy.writeAtomically(deploy, "websocksy.listener-lines.cfg", "listen = 127.0.0.1\nport = " + linesPort
                + "\nbackend = lines\nweb = " + web + "\n");
        websocksy = Websocksy.start(work, deploy, null);
        Poll.until(Duration.ofSeconds(90), "both listeners up: " + work.resolve("websocksy.log"),
                () -> Ports.accepts(mqttPort) && Ports.accepts(linesPort));
        // the backends' .cfg files may be applied after the listeners': wait until both route
        WsClient.awaitRouted(mqttPort, "/", Duration.ofSeconds(60));
        WsClient.awaitRouted(linesPort, "/", Duration.ofSeconds(60));
    }

    /** Greets with three lines, then answers each line in upper case. */
    private static void serveLines() {
        while (!lineServer.isClosed()) {
            try {
                Socket s = lineServer.accept();
                Thread c = new Thread(() -> {
                    try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                            StandardCharsets.UTF_8)); OutputStream out = s.getOutputStream()) {
                        out.write("line one\nline two\nline three\n".getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        String l;
                        while ((l = in.readLine()) != null) {
                            out.write((l.toUpperCase(Locale.ROOT) + "\n").getBytes(StandardCharsets.UTF_8));
                            out.flush();
                        }
                    } catch (IOException e) {
                        // client gone
                    }
                }, "line-client");
                c.setDaemon(true);
                c.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    @AfterClass
    public static void stop() throws Exception {
        if (websocksy != null) {
            websocksy.close();
        }
        if (mosquitto != null) {
            mosquitto.close();
        }
        if (lineServer != null) {
            lineServer.close();
        }
    }

    private static void assertScenario(String json) {
        for (String expected : List.of("\"q0\":\"qos zero\"", "\"q1\":\"qos one\"", "\"q2\":\"qos two\"", "\"q2qos\":2",
                "\"q1qos\":1", "\"bigBytes\":262144", "\"bigSame\":true", "\"retained\":\"retained value\"",
                "\"retainFlag\":true")) {
            assertTrue(expected + " in " + json, json.contains(expected));
        }
    }

    @Test
    public void mqttJsInNode() throws Exception {
        assertScenario(RealClients.node(work, "mqtt-node.js", Duration.ofSeconds(120),
                "ws://127.0.0.1:" + mqttPort + "/mqtt"));
        assertTrue(websocksy.log(), websocksy.log().contains("/mqtt -> tcp://127.0.0.1:"));
        assertTrue(websocksy.log(), websocksy.log().contains("framer=binary subprotocol=mqtt"));
    }

    @Test
    public void mqttJsInChromium() throws Exception {
        assertScenario(RealClients.node(work, "mqtt-chromium.js", Duration.ofSeconds(180),
                "http://127.0.0.1:" + mqttPort + "/mqtt.html"));
    }

    @Test
    public void lineProtocolInChromium() throws Exception {
        String json = RealClients.node(work, "lines-chromium.js", Duration.ofSeconds(180),
                "http://127.0.0.1:" + linesPort + "/lines.html");
        String expected = "\"got\":[{\"text\":true,\"data\":\"line one\\n\"},{\"text\":true,\"data\":\"line two\\n\"},"
                + "{\"text\":true,\"data\":\"line three\\n\"},{\"text\":true,\"data\":\"HELLO\\n\"},"
                + "{\"text\":true,\"data\":\"WÖRLD\\n\"}],\"code\":1000";
        assertTrue(expected + " in " + json, json.contains(expected));
    }
}
