package io.websocksy.backend.jwt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.websocksy.api.backend.Route;
import io.websocksy.api.backend.RouteException;
import io.websocksy.api.token.FakeRequest;

class JwtBackendTest {
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef-secret".getBytes(StandardCharsets.US_ASCII);
    static final String HS = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

    @TempDir
    Path dir;

    private long now() {
        return System.currentTimeMillis() / 1000;
    }

    private JwtBackendComponent backend(Path key, String algorithms, String issuer, String audience, String token)
            throws Exception {
        JwtSettings s = JwtSettings.parse(null, key.toString(), algorithms == null ? null : new String[] {algorithms},
                issuer, audience, 30, token, "ignore", "auto", "", "", "off", "jwt");
        JwtBackendComponent c = new JwtBackendComponent();
        set(c, "settings", s);
        set(c, "verifier", new JwtVerifier(s, JwtKeys.read(key)));
        return c;
    }

    private static void set(Object o, String f, Object v) throws Exception {
        Field x = o.getClass().getDeclaredField(f);
        x.setAccessible(true);
        x.set(o, v);
    }

    private Path secretFile() throws Exception {
        Path p = dir.resolve("secret");
        Files.write(p, (new String(SECRET, StandardCharsets.US_ASCII) + "\n").getBytes(StandardCharsets.US_ASCII));
        return p;
    }

    private static Route ok(JwtBackendComponent c, String token) throws Exception {
        return c.route(new FakeRequest().query("token", token)).toCompletableFuture().get().orElseThrow();
    }

    private static String refused(JwtBackendComponent c, FakeRequest r) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> c.route(r).toCompletableFuture().get());
        RouteException re = (RouteException) e.getCause();
        assertEquals(403, re.status(), re.getMessage());
        return re.getMessage();
    }

    private static String refused(JwtBackendComponent c, String token) {
        String m = refused(c, new FakeRequest().query("token", token));
        assertFalse(m.contains(token), "token in the message: " + m);
        return m;
    }

    @Test
    void handMadeHs256WithWebsockifyHostAndPort() throws Exception {
        JwtBackendComponent c = backend(secretFile(), null, null, null, null);
        String t = HandJws.hs256(SECRET, HS, "{\"host\":\"127.0.0.1\",\"port\":5901,\"exp\":" + (now() + 60) + "}");
        Route r = ok(c, t);
        assertEquals("tcp://127.0.0.1:5901", r.peer().toString());
        // port as a string, IPv6 host
        t = HandJws.hs256(SECRET, HS, "{\"host\":\"::1\",\"port\":\"5902\"}");
        assertEquals("tcp://[::1]:5902", ok(c, t).peer().toString());
    }

    @Test
    void nimbusMadeTokenWithPeerAndRouteClaims() throws Exception {
        JwtBackendComponent c = backend(secretFile(), "HS256", null, null, "protocol:bearer.");
        JWTClaimsSet claims = new JWTClaimsSet.Builder().claim("peer", "unix:///run/mqtt.sock").claim("framing", "newline")
                .claim("framing-config", "lf").claim("protocol", "mqtt").expirationTime(new Date(System.currentTimeMillis() + 60_000))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET));
        Route r = c.route(new FakeRequest().protocols("bearer." + jwt.serialize(), "mqtt")).toCompletableFuture().get()
                .orElseThrow();
        assertEquals("unix:///run/mqtt.sock", r.peer().toString());
        assertEquals("newline", r.framer());
        assertEquals("lf", r.framerConfig());
        assertEquals("mqtt", r.subprotocol().orElseThrow());
    }

    @Test
    void refusals() throws Exception {
        JwtBackendComponent c = backend(secretFile(), null, "issuer-a", "aud-b", null);
        String good = "\"host\":\"127.0.0.1\",\"port\":1,\"iss\":\"issuer-a\",\"aud\":[\"aud-b\",\"x\"]";
        ok(c, HandJws.hs256(SECRET, HS, "{" + good + "}"));
        assertTrue(refused(c, new FakeRequest()).contains("no token in query:token"));
        assertTrue(refused(c, HandJws.hs256("another-secret-another-secret-xx".getBytes(), HS, "{" + good + "}"))
                .contains("bad signature"));
        assertTrue(refused(c, HandJws.none("{" + good + "}")).contains("alg none"));
        assertTrue(refused(c, HandJws.hs256(SECRET, HS, "{" + good + ",\"exp\":" + (now() - 31) + "}")).contains("expired"));
        ok(c, HandJws.hs256(SECRET, HS, "{" + good + ",\"exp\":" + (now() - 5) + "}")); // within the leeway
        assertTrue(refused(c, HandJws.hs256(SECRET, HS, "{" + good + ",\"nbf\":" + (now() + 120) + "}"))
                .contains("not valid before"));
        assertTrue(refused(c, HandJws.hs256(SECRET, HS, "{\"host\":\"127.0.0.1\",\"port\":1,\"aud\":\"aud-b\"}"))
                .contains("issuer"));
        assertTrue(refused(c, HandJws.hs256(SECRET, HS, "{\"host\":\"h\",\"port\":1,\"iss\":\"issuer-a\",\"aud\":\"z\"}"))
                .contains("audience"));
        assertTrue(refused(c, HandJws.hs256(SECRET, HS, "{\"iss\":\"issuer-a\",\"aud\":\"aud-b\"}")).contains("no 'peer'"));
        assertTrue(refused(c, "not-a-jwt").contains("not a compact JWS"));
        assertTrue(refused(c, HandJws.hs256(SECRET, "{\"alg\":\"HS512\"}", "{" + good + "}")).contains("bad signature"));
    }

    private Path pem(java.security.PublicKey k) throws Exception {
        Path p = dir.resolve("pub.pem");
        Files.writeString(p, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(k.getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        return p;
    }

    @Test
    void rs256HandMadeAndNoHmacWithThePublicKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair kp = g.generateKeyPair();
        Path pem = pem(kp.getPublic());
        JwtBackendComponent c = backend(pem, null, null, null, null);
        assertEquals("tcp://10.1.2.3:5900", ok(c, HandJws.rs256(kp.getPrivate(), "{\"peer\":\"10.1.2.3:5900\"}")).peer().toString());
        // the classic key confusion: HS256 signed with the public key's PEM text as the secret
        String confused = HandJws.hs256(Files.readAllBytes(pem), HS, "{\"peer\":\"10.1.2.3:5900\"}");
        assertTrue(refused(c, confused).contains("algorithm HS256 not allowed"));
        JwtSettings s = JwtSettings.parse(null, pem.toString(), new String[] {"RS256,HS256"}, null, null, 30, null,
                "ignore", null, null, null, null, "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new JwtVerifier(s, JwtKeys.read(pem)));
        assertTrue(e.getMessage().contains("never a public key"), e.getMessage());
    }

    @Test
    void es256HandMadeWithAJwkSet() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        KeyPair other = g.generateKeyPair();
        JWKSet set = new JWKSet(java.util.List.of(
                new ECKey.Builder(Curve.P_256, (ECPublicKey) other.getPublic()).keyID("old").build(),
                new ECKey.Builder(Curve.P_256, (ECPublicKey) kp.getPublic()).keyID("k1").build()));
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, set.toString());
        JwtBackendComponent c = backend(jwks, null, null, null, "header:Authorization");
        String t = HandJws.es256(kp.getPrivate(), "k1", "{\"peer\":\"tcp://127.0.0.1:1883\",\"protocol\":\"mqtt\"}");
        Route r = c.route(new FakeRequest().header("Authorization", "Bearer " + t)).toCompletableFuture().get().orElseThrow();
        assertEquals("tcp://127.0.0.1:1883", r.peer().toString());
        assertTrue(refused(c, new FakeRequest().header("Authorization", "Bearer "
                + HandJws.es256(kp.getPrivate(), "nope", "{\"peer\":\"h:1\"}"))).contains("no EC key with kid 'nope'"));
    }

    @Test
    void configRefusesNoneAndShortSecrets() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JwtSettings.parse(null, "/k",
                new String[] {"HS256, none"}, null, null, 30, null, null, null, null, null, null, "x"));
        assertTrue(e.getMessage().contains("'none'"), e.getMessage());
        Path shortSecret = dir.resolve("short");
        Files.writeString(shortSecret, "too short\n");
        e = assertThrows(IllegalArgumentException.class, () -> JwtKeys.read(shortSecret));
        assertTrue(e.getMessage().contains("at least 32 bytes"), e.getMessage());
        Path priv = dir.resolve("priv.pem");
        Files.writeString(priv, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        e = assertThrows(IllegalArgumentException.class, () -> JwtKeys.read(priv));
        assertTrue(e.getMessage().contains("private key"), e.getMessage());
    }

    @Test
    void keyFileIsReReadWhenItChanges() throws Exception {
        Path key = secretFile();
        JwtBackendComponent c = backend(key, null, null, null, null);
        set(c, "keyStamp", "initial");
        c.reload(getSettings(c));
        String claims = "{\"host\":\"127.0.0.1\",\"port\":1}";
        ok(c, HandJws.hs256(SECRET, HS, claims));
        byte[] next = "a-completely-new-secret-of-32+bytes".getBytes(StandardCharsets.US_ASCII);
        Files.write(key, next);
        Files.setLastModifiedTime(key, FileTime.fromMillis(System.currentTimeMillis() + 10_000));
        c.reload(getSettings(c));
        ok(c, HandJws.hs256(next, HS, claims));
        assertTrue(refused(c, HandJws.hs256(SECRET, HS, claims)).contains("bad signature"));
        // a broken new key keeps the previous one
        Files.writeString(key, "short");
        Files.setLastModifiedTime(key, FileTime.fromMillis(System.currentTimeMillis() + 20_000));
        c.reload(getSettings(c));
        ok(c, HandJws.hs256(next, HS, claims));
    }

    private static JwtSettings getSettings(JwtBackendComponent c) throws Exception {
        Field f = JwtBackendComponent.class.getDeclaredField("settings");
        f.setAccessible(true);
        return (JwtSettings) f.get(c);
    }

    @Test
    void pythonStdlibHs256TokenWhenPython3IsThere() throws Exception {
        Path py = Path.of("/usr/bin/python3");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(py), "python3 missing: skipped");
        String script = "import hmac,hashlib,base64,json,sys\n"
                + "b=lambda x: base64.urlsafe_b64encode(x).rstrip(b'=')\n"
                + "h=b(json.dumps({'alg':'HS256','typ':'JWT'}).encode())\n"
                + "p=b(json.dumps({'host':'192.0.2.7','port':5900}).encode())\n"
                + "s=b(hmac.new(sys.argv[1].encode(),h+b'.'+p,hashlib.sha256).digest())\n"
                + "print((h+b'.'+p+b'.'+s).decode())\n";
        Process p = new ProcessBuilder(py.toString(), "-c", script, new String(SECRET, StandardCharsets.US_ASCII))
                .redirectErrorStream(true).start();
        String token = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertEquals(0, p.waitFor());
        JwtBackendComponent c = backend(secretFile(), null, null, null, null);
        assertEquals(Optional.of("tcp://192.0.2.7:5900"), Optional.of(ok(c, token).peer().toString()));
    }
}
