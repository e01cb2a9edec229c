package io.websocksy.backend.jwt.internal;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An independent JWS signer for the tests, written on javax.crypto and java.security only (RFC 7515
 * compact serialization, RFC 7518 algorithms), so that the backend is not only tested with tokens nimbus
 * made itself.
 */
final class HandJws {
    private HandJws() {
    }

    static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String b64(String s) {
        return b64(s.getBytes(StandardCharsets.UTF_8));
    }

    static String hs256(byte[] secret, String headerJson, String claimsJson) throws Exception {
        String input = b64(headerJson) + "." + b64(claimsJson);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    static String rs256(PrivateKey key, String claimsJson) throws Exception {
        String input = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + b64(claimsJson);
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(key);
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + b64(s.sign());
    }

    /** ES256 with the R||S signature encoding JWS requires (not DER). */
    static String es256(PrivateKey key, String kid, String claimsJson) throws Exception {
        String input = b64("{\"alg\":\"ES256\",\"kid\":\"" + kid + "\"}") + "." + b64(claimsJson);
        Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
        s.initSign(key);
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + b64(s.sign());
    }

    static String none(String claimsJson) {
        return b64("{\"alg\":\"none\"}") + "." + b64(claimsJson) + ".";
    }
}
