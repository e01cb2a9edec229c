package io.websocksy.backend.jwt.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;

/**
 * The verification keys read from the {@code key} file: a PEM public key (RSA or EC), a JWK set (or a
 * single JWK), or an HMAC secret. Immutable; a new instance is read when the file changes.
 */
final class JwtKeys {
    /** Key families, each with its JWS algorithms. */
    enum Family {
        HMAC(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512),
        RSA(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384,
                JWSAlgorithm.PS512),
        EC(JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

        final List<JWSAlgorithm> algorithms;

        Family(JWSAlgorithm... a) {
            algorithms = List.of(a);
        }

        static Family of(JWSAlgorithm a) {
            for (Family f : values()) {
                if (f.algorithms.contains(a)) {
                    return f;
                }
            }
            return null;
        }
    }

    /** One key: its family, optional key id, and a verifier. */
    static final class Key {
        final Family family;
        final String kid;
        final JWSVerifier verifier;

        Key(Family family, String kid, JWSVerifier verifier) {
            this.family = family;
            this.kid = kid;
            this.verifier = verifier;
        }
    }

    final List<Key> keys;
    final String kind;

    private JwtKeys(List<Key> keys, String kind) {
        this.keys = List.copyOf(keys);
        this.kind = kind;
    }

    /** @return the families present */
    Set<Family> families() {
        Set<Family> s = EnumSet.noneOf(Family.class);
        for (Key k : keys) {
            s.add(k.family);
        }
        return s;
    }

    /** @return every algorithm of the families present, in a stable order */
    Set<JWSAlgorithm> defaultAlgorithms() {
        Set<JWSAlgorithm> s = new LinkedHashSet<>();
        for (Family f : families()) {
            s.addAll(f.algorithms);
        }
        return s;
    }

    /**
     * @param file the key file
     * @return its keys
     * @throws IOException when it cannot be read
     * @throws IllegalArgumentException when it holds no usable key, naming why
     */
    static JwtKeys read(Path file) throws IOException {
        byte[] raw = Files.readAllBytes(file);
        String text = new String(raw, StandardCharsets.UTF_8).strip();
        try {
            if (text.startsWith("-----BEGIN")) {
                if (text.contains("PRIVATE KEY-----")) {
                    throw new IllegalArgumentException(file + " holds a private key: give the public key only");
                }
                return pem(file, text);
            }
            if (text.startsWith("{")) {
                List<JWK> all;
                if (text.contains("\"keys\"")) {
                    all = JWKSet.parse(text).getKeys();
                } else {
                    all = List.of(JWK.parse(text));
                }
                List<Key> out = new ArrayList<>();
                for (JWK j : all) {
                    if (j.getKeyUse() != null && !"sig".equals(j.getKeyUse().identifier())) {
                        continue; // an encryption key
                    }
                    out.add(key(j));
                }
                if (out.isEmpty()) {
                    throw new IllegalArgumentException(file + " is a JWK set without a signature key");
                }
                return new JwtKeys(out, "JWK set of " + out.size() + " keys");
            }
        } catch (ParseException | JOSEException e) {
            throw new IllegalArgumentException(file + ": not a usable key: " + e.getMessage(), e);
        }
        int n = raw.length;
        while (n > 0 && (raw[n - 1] == '\n' || raw[n - 1] == '\r')) {
            n--;
        }
        byte[] secret = Arrays.copyOf(raw, n);
        if (secret.length < 32) {
            throw new IllegalArgumentException(file + ": an HMAC secret must have at least 32 bytes (256 bits), it has "
                    + secret.length);
        }
        try {
            return new JwtKeys(List.of(new Key(Family.HMAC, null, new MACVerifier(secret))), "HMAC secret");
        } catch (JOSEException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** A {@code BEGIN PUBLIC KEY} (X.509 SubjectPublicKeyInfo) block, RSA or EC, read with the JDK alone. */
    private static JwtKeys pem(Path file, String text) {
        String begin = "-----BEGIN PUBLIC KEY-----";
        int b = text.indexOf(begin);
        int e = text.indexOf("-----END PUBLIC KEY-----");
        if (b < 0 || e < b) {
            throw new IllegalArgumentException(file + ": expected a PEM 'BEGIN PUBLIC KEY' block (RSA or EC)");
        }
        byte[] der;
        try {
            der = java.util.Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
        } catch (IllegalArgumentException bad) {
            throw new IllegalArgumentException(file + ": the PEM block is not base64", bad);
        }
        java.security.spec.X509EncodedKeySpec spec = new java.security.spec.X509EncodedKeySpec(der);
        try {
            java.security.PublicKey k = java.security.KeyFactory.getInstance("RSA").generatePublic(spec);
            return new JwtKeys(List.of(new Key(Family.RSA, null, new RSASSAVerifier((RSAPublicKey) k))), "PEM RSA public key");
        } catch (java.security.GeneralSecurityException notRsa) {
            // try EC
        }
        try {
            java.security.PublicKey k = java.security.KeyFactory.getInstance("EC").generatePublic(spec);
            return new JwtKeys(List.of(new Key(Family.EC, null, new ECDSAVerifier((ECPublicKey) k))), "PEM EC public key");
        } catch (java.security.GeneralSecurityException | JOSEException notEc) {
            throw new IllegalArgumentException(file + ": the PEM public key is neither RSA nor a supported EC key ("
                    + notEc.getMessage() + ")", notEc);
        }
    }

    private static Key key(JWK j) throws JOSEException {
        if (j instanceof RSAKey) {
            RSAPublicKey pub = ((RSAKey) j).toRSAPublicKey();
            return new Key(Family.RSA, j.getKeyID(), new RSASSAVerifier(pub));
        }
        if (j instanceof ECKey) {
            ECPublicKey pub = ((ECKey) j).toECPublicKey();
            return new Key(Family.EC, j.getKeyID(), new ECDSAVerifier(pub));
        }
        if (j instanceof OctetSequenceKey) {
            return new Key(Family.HMAC, j.getKeyID(), new MACVerifier(((OctetSequenceKey) j).toByteArray()));
        }
        throw new JOSEException("key type " + j.getKeyType() + " is not supported (RSA, EC or oct)");
    }
}
