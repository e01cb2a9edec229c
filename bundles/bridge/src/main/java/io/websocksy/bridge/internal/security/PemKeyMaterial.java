package io.websocksy.bridge.internal.security;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The key material of a TLS listener read from its PEM files, and checked: the certificate chain
 * (leaf first), the PKCS#8 private key (RSA, EC or EdDSA, unencrypted), proven to belong to the leaf
 * by a signature, and the optional client CA bundle. Plain JDK code: no Netty, no state, no log; every
 * problem is an {@link IllegalArgumentException} naming the setting, the file and the cause.
 */
public final class PemKeyMaterial {
    /** The certificate chain, leaf first. */
    public final List<X509Certificate> chain;
    public final PrivateKey key;
    /** The CAs client certificates must be signed by; null when none are asked for. */
    public final List<X509Certificate> clientCas;

    private PemKeyMaterial(List<X509Certificate> chain, PrivateKey key, List<X509Certificate> clientCas) {
        this.chain = chain;
        this.key = key;
        this.clientCas = clientCas;
    }

    /**
     * Reads and checks the files.
     *
     * @throws IllegalArgumentException naming the file and the problem
     */
    public static PemKeyMaterial read(TlsFiles files) {
        List<X509Certificate> chain = certificates(files.certificate, "tls-certificate");
        PrivateKey key = privateKey(files.key);
        checkPair(chain.get(0), key, files);
        List<X509Certificate> cas = files.clientCa == null ? null : certificates(files.clientCa, "tls-client-ca");
        return new PemKeyMaterial(chain, key, cas);
    }

    /** @return the leaf certificate */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** @return the PEM blocks of {@code type} ({@code CERTIFICATE}, {@code PRIVATE KEY}) as DER */
    public static List<byte[]> pemBlocks(String text, String type) {
        List<byte[]> out = new ArrayList<>();
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int at = 0;
        while ((at = text.indexOf(begin, at)) >= 0) {
            int stop = text.indexOf(end, at);
            if (stop < 0) {
                throw new IllegalArgumentException("'" + begin + "' without '" + end + "'");
            }
            String body = text.substring(at + begin.length(), stop).replaceAll("\\s", "");
            try {
                out.add(Base64.getDecoder().decode(body));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad base64 in a " + type + " block: " + e.getMessage());
            }
            at = stop + end.length();
        }
        return out;
    }

    private static String read(File f, String key) {
        try {
            return new String(Files.readAllBytes(f.toPath()), StandardCharsets.US_ASCII);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException(key + " " + f + ": cannot read: " + e);
        }
    }

    public static List<X509Certificate> certificates(File f, String key) {
        String text = read(f, key);
        List<byte[]> blocks;
        try {
            blocks = pemBlocks(text, "CERTIFICATE");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " " + f + ": " + e.getMessage());
        }
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException(key + " " + f + ": no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (byte[] der : blocks) {
                Certificate c = cf.generateCertificate(new ByteArrayInputStream(der));
                out.add((X509Certificate) c);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(key + " " + f + ": not an X.509 certificate: " + e.getMessage());
        }
        return out;
    }

    public static PrivateKey privateKey(File f) {
        String text = read(f, "tls-key");
        if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            throw new IllegalArgumentException("tls-key " + f + ": encrypted keys are not supported; decrypt with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem'");
        }
        List<byte[]> blocks;
        try {
            blocks = pemBlocks(text, "PRIVATE KEY");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tls-key " + f + ": " + e.getMessage());
        }
        if (blocks.isEmpty()) {
            String hint = text.contains("-----BEGIN RSA PRIVATE KEY-----") || text.contains("-----BEGIN EC PRIVATE KEY-----")
                    ? "; this is a PKCS#1/SEC1 key, convert it with 'openssl pkcs8 -topk8 -nocrypt -in key.pem -out "
                    + "key-pkcs8.pem'" : "";
            throw new IllegalArgumentException("tls-key " + f + ": no PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----)" + hint);
        }
        if (blocks.size() > 1) {
            throw new IllegalArgumentException("tls-key " + f + ": " + blocks.size() + " keys, expected one");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(blocks.get(0));
        for (String alg : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("tls-key " + f + ": not an RSA, EC or EdDSA PKCS#8 key");
    }

    /** Signs random bytes with the key and verifies with the certificate: they must belong together. */
    private static void checkPair(X509Certificate cert, PrivateKey key, TlsFiles cfg) {
        PublicKey pub = cert.getPublicKey();
        if (!pub.getAlgorithm().equals(key.getAlgorithm())
                && !(pub.getAlgorithm().startsWith("Ed") && key.getAlgorithm().startsWith("Ed"))) {
            throw new IllegalArgumentException("tls-key " + cfg.key + " is a " + key.getAlgorithm()
                    + " key but the certificate in " + cfg.certificate + " holds a " + pub.getAlgorithm() + " key");
        }
        String alg;
        switch (key.getAlgorithm()) {
            case "RSA": alg = "SHA256withRSA"; break;
            case "EC": alg = "SHA256withECDSA"; break;
            case "RSASSA-PSS": return; // needs parameters; the TLS handshake will tell
            default: alg = key.getAlgorithm(); break;
        }
        try {
            byte[] data = new byte[32];
            new SecureRandom().nextBytes(data);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(data);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(pub);
            v.update(data);
            if (!v.verify(sig)) {
                throw new IllegalArgumentException("tls-key " + cfg.key + " does not belong to the certificate in "
                        + cfg.certificate);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("tls-key " + cfg.key + " does not belong to the certificate in "
                    + cfg.certificate + ": " + e.getMessage());
        }
    }
}
