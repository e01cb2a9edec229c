package io.websocksy.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ConsoleSecurityProviderTest {
    static ConsoleConfig config(String user, String password) {
        return new ConsoleConfig() {
            @Override public Class<? extends Annotation> annotationType() { return ConsoleConfig.class; }
            @Override public String username() { return user; }
            @Override public String password() { return password; }
            @Override public String realm() { return "websocksy"; }
        };
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static final String HASH = PasswordCheck.pbkdf2Form("console secret",
            "0123456789abcdef".getBytes(StandardCharsets.US_ASCII), 10_000);

    @Test
    void noCredentialsGet401WithAChallenge() {
        ConsoleSecurityProvider p = new ConsoleSecurityProvider(config("ops", HASH));
        Fakes.Response r = new Fakes.Response();
        assertNull(p.authenticate(Fakes.request("GET", Map.of("Host", "127.0.0.1:8091"), Map.of(), new Fakes.Session()),
                r.proxy));
        assertEquals(401, r.status);
        assertEquals("Basic realm=\"websocksy\", charset=\"UTF-8\"", r.headers.get("WWW-Authenticate"));
    }

    @Test
    void wrongPasswordAndWrongUserGet401AndAdminAdminNeverWorks() {
        ConsoleSecurityProvider p = new ConsoleSecurityProvider(config("ops", HASH));
        for (String auth : new String[] {basic("ops", "console secreT"), basic("admin", "admin"),
            basic("opsx", "console secret"), "Basic !!!", "Bearer x"}) {
            Fakes.Response r = new Fakes.Response();
            assertNull(p.authenticate(Fakes.request("GET", Map.of("Authorization", auth), Map.of(), new Fakes.Session()),
                    r.proxy), auth);
            assertEquals(401, r.status, auth);
        }
    }

    @Test
    void rightCredentialsPassAndOpenASessionWithACsrfToken() {
        ConsoleSecurityProvider p = new ConsoleSecurityProvider(config("ops", HASH));
        Fakes.Session s = new Fakes.Session();
        Fakes.Response r = new Fakes.Response();
        assertEquals("ops", p.authenticate(Fakes.request("GET", Map.of("Authorization", basic("ops", "console secret")),
                Map.of(), s), r.proxy));
        assertEquals(200, r.status);
        Object token = s.attributes.get(ConsoleSecurityProvider.CSRF_ATTRIBUTE);
        assertNotNull(token);
        assertTrue(token.toString().length() >= 40);
        assertTrue(p.authorize("ops", "any"));
    }

    @Test
    void statechangingRequestsFromAnotherOriginGet403() {
        ConsoleSecurityProvider p = new ConsoleSecurityProvider(config("ops", "{sha-256}jGl25bVBBBW96Qi9Te4V37Fnqchz/Eu4qB9vKrRIqRg="));
        String ok = basic("ops", "admin");
        Map<String, String> sameOrigin = Map.of("Authorization", ok, "Host", "127.0.0.1:8091",
                "Origin", "http://127.0.0.1:8091", "Sec-Fetch-Site", "same-origin");
        assertEquals("ops", p.authenticate(Fakes.request("POST", sameOrigin, Map.of(), new Fakes.Session()),
                new Fakes.Response().proxy));
        // curl: neither Origin nor Referer nor Sec-Fetch-Site
        assertEquals("ops", p.authenticate(Fakes.request("POST", Map.of("Authorization", ok, "Host", "127.0.0.1:8091"),
                Map.of(), new Fakes.Session()), new Fakes.Response().proxy));
        for (Map<String, String> h : new Map[] {
            Map.of("Origin", "http://evil.example"),
            Map.of("Origin", "null"),
            Map.of("Origin", "http://127.0.0.1:8001"),
            Map.of("Sec-Fetch-Site", "cross-site"),
            Map.of("Sec-Fetch-Site", "same-site", "Origin", "http://127.0.0.1:8091"),
            Map.of("Referer", "http://evil.example/system/console/configMgr")}) {
            Map<String, String> all = new HashMap<>(h);
            all.put("Authorization", ok);
            all.put("Host", "127.0.0.1:8091");
            Fakes.Response r = new Fakes.Response();
            assertNull(p.authenticate(Fakes.request("POST", all, Map.of(), new Fakes.Session()), r.proxy), h.toString());
            assertEquals(403, r.status, h.toString());
        }
        // a GET from anywhere is fine (it changes nothing)
        assertEquals("ops", p.authenticate(Fakes.request("GET", Map.of("Authorization", ok, "Sec-Fetch-Site",
                "cross-site"), Map.of(), new Fakes.Session()), new Fakes.Response().proxy));
    }

    @Test
    void aConfigurationWithoutUserOrPasswordKeepsTheConsoleOff() {
        assertEquals("username is empty", assertThrows(IllegalArgumentException.class,
                () -> new ConsoleSecurityProvider(config("", HASH))).getMessage());
        assertEquals("password is empty", assertThrows(IllegalArgumentException.class,
                () -> new ConsoleSecurityProvider(config("ops", null))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new ConsoleSecurityProvider(config("ops", "{md5}x"))).getMessage().contains("unknown hash scheme"));
    }
}
