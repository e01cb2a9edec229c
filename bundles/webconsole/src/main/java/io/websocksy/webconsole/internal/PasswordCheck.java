package io.websocksy.webconsole.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A configured password, hashed or not, and the check of a password a user typed against it. Immutable and
 * thread-safe. Formats:
 * <ul>
 * <li>{@code {pbkdf2-sha256}ITERATIONS$SALT$HASH}: PBKDF2 with HMAC-SHA-256, salt and hash in base64
 * (standard alphabet, padding optional), at least {@value #MIN_ITERATIONS} iterations;</li>
 * <li>{@code {sha-256}HASH}: one SHA-256 of the UTF-8 password, base64, as the Felix Web Console stores its own
 * password ({@code printf %s 'secret' | openssl dgst -sha256 -binary | base64});</li>
 * <li>anything not starting with {@code {}: the password itself ({@link #plain()} is true).</li>
 * </ul>
 */
public final class PasswordCheck {
    /** Fewest PBKDF2 iterations accepted. */
    public static final int MIN_ITERATIONS = 10_000;
    private static final String PBKDF2 = "{pbkdf2-sha256}";
    private static final String SHA256 = "{sha-256}";

    private enum Kind { PBKDF2, SHA256, PLAIN }

    private final Kind kind;
    private final byte[] expected;
    private final byte[] salt;
    private final int iterations;

    private PasswordCheck(Kind kind, byte[] expected, byte[] salt, int iterations) {
        this.kind = kind;
        this.expected = expected;
        this.salt = salt;
        this.iterations = iterations;
    }

    /**
     * @param configured the configured value
     * @return the check
     * @throws IllegalArgumentException when it is empty or a malformed or unknown {@code {scheme}}; the message says
     *     which and never repeats the value
     */
    public static PasswordCheck parse(String configured) {
        if (configured == null || configured.isBlank()) {
            throw new IllegalArgumentException("password is empty");
        }
        String v = configured.strip();
        if (v.regionMatches(true, 0, PBKDF2, 0, PBKDF2.length())) {
            String[] p = v.substring(PBKDF2.length()).split("\\$", -1);
            if (p.length != 3) {
                throw new IllegalArgumentException("password: " + PBKDF2 + " needs ITERATIONS$SALT$HASH");
            }
            int n;
            try {
                n = Integer.parseInt(p[0]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("password: " + PBKDF2 + " iterations are not a number");
            }
            if (n < MIN_ITERATIONS) {
                throw new IllegalArgumentException("password: " + PBKDF2 + " needs at least " + MIN_ITERATIONS
                        + " iterations, got " + n);
            }
            byte[] salt = base64(p[1], "salt");
            byte[] hash = base64(p[2], "hash");
            if (salt.length < 8) {
                throw new IllegalArgumentException("password: " + PBKDF2 + " salt must be at least 8 bytes");
            }
            if (hash.length < 16) {
                throw new IllegalArgumentException("password: " + PBKDF2 + " hash must be at least 16 bytes");
            }
            return new PasswordCheck(Kind.PBKDF2, hash, salt, n);
        }
        if (v.regionMatches(true, 0, SHA256, 0, SHA256.length())) {
            byte[] hash = base64(v.substring(SHA256.length()), "hash");
            if (hash.length != 32) {
                throw new IllegalArgumentException("password: " + SHA256 + " hash must be 32 bytes (44 base64 "
                        + "characters), got " + hash.length + " bytes");
            }
            return new PasswordCheck(Kind.SHA256, hash, null, 0);
        }
        if (v.startsWith("{") && v.indexOf('}') > 0) {
            String scheme = v.substring(0, v.indexOf('}') + 1);
            throw new IllegalArgumentException("password: unknown hash scheme " + (scheme.length() > 20 ? "" : scheme)
                    + " (use " + PBKDF2 + " or " + SHA256 + ")");
        }
        return new PasswordCheck(Kind.PLAIN, configured.getBytes(StandardCharsets.UTF_8), null, 0);
    }

    private static byte[] base64(String s, String what) {
        try {
            return Base64.getDecoder().decode(s.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("password: the " + what + " is not base64");
        }
    }

    /** @return true when the configured value is the password itself (not hashed) */
    public boolean plain() {
        return kind == Kind.PLAIN;
    }

    /**
     * @param typed the password a user sent
     * @return true when it matches; the comparison takes the same time wherever the bytes differ
     */
    public boolean matches(String typed) {
        if (typed == null) {
            return false;
        }
        byte[] got;
        switch (kind) {
            case PBKDF2:
                got = pbkdf2(typed, salt, iterations, expected.length);
                break;
            case SHA256:
                got = sha256(typed);
                break;
            default:
                got = typed.getBytes(StandardCharsets.UTF_8);
                break;
        }
        return MessageDigest.isEqual(expected, got);
    }

    /**
     * Hashes a password in the recommended format (what {@code hash-password} prints).
     *
     * @param password the password
     * @param salt random salt, at least 8 bytes
     * @param iterations at least {@value #MIN_ITERATIONS}
     * @return {@code {pbkdf2-sha256}ITERATIONS$SALT$HASH}
     */
    public static String pbkdf2Form(String password, byte[] salt, int iterations) {
        Base64.Encoder b = Base64.getEncoder();
        return PBKDF2 + iterations + "$" + b.encodeToString(salt) + "$"
                + b.encodeToString(pbkdf2(password, salt, iterations, 32));
    }

    static byte[] pbkdf2(String password, byte[] salt, int iterations, int bytes) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, bytes * 8);
            try {
                return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            } finally {
                spec.clearPassword();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        }
    }

    static byte[] sha256(String password) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
