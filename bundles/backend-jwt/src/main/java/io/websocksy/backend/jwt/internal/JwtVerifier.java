package io.websocksy.backend.jwt.internal;

import java.text.ParseException;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.Header;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.websocksy.api.backend.RouteException;
import io.websocksy.api.peer.PeerAddress;
import io.websocksy.api.token.TokenRoutes;
import io.websocksy.api.token.TokenSource;

/**
 * Checks one token: compact JWS, an allowed algorithm of a loaded key's family, a valid signature, then
 * {@code exp}, {@code nbf}, {@code iss} and {@code aud}; reads the peer from {@code peer} or websockify's
 * {@code host} and {@code port}. Every refusal is a {@link RouteException} 403 whose message names the
 * reason and the token's short hash, never the token. Thread-safe (immutable).
 */
final class JwtVerifier {
    /** What a valid token says. */
    static final class Verified {
        final PeerAddress peer;
        final String framing;
        final String framingConfig;
        final String protocol;
        /** Epoch millis, or 0 without exp. */
        final long expiresAt;

        Verified(PeerAddress peer, String framing, String framingConfig, String protocol, long expiresAt) {
            this.peer = peer;
            this.framing = framing;
            this.framingConfig = framingConfig;
            this.protocol = protocol;
            this.expiresAt = expiresAt;
        }
    }

    private final JwtSettings settings;
    private final JwtKeys keys;
    private final Set<JWSAlgorithm> allowed;

    JwtVerifier(JwtSettings settings, JwtKeys keys) {
        this.settings = settings;
        this.keys = keys;
        this.allowed = settings.effectiveAlgorithms(keys);
    }

    Set<JWSAlgorithm> allowed() {
        return allowed;
    }

    Verified verify(String token, long nowMillis) {
        String h = TokenSource.hash(token);
        SignedJWT jwt;
        try {
            int dot = token.indexOf('.');
            if (dot > 0) {
                Header header = Header.parse(new Base64URL(token.substring(0, dot)));
                if (header instanceof PlainHeader) {
                    throw refuse(h, "alg none (an unsigned token) is never accepted");
                }
                if (!(header instanceof JWSHeader)) {
                    throw refuse(h, "not a signed token (JWE is not supported)");
                }
            }
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw refuse(h, "not a compact JWS (" + e.getMessage() + ")");
        }
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!allowed.contains(alg)) {
            throw refuse(h, "algorithm " + alg + " not allowed (allowed: " + allowed + ")");
        }
        JwtKeys.Family family = JwtKeys.Family.of(alg);
        String kid = jwt.getHeader().getKeyID();
        boolean verified = false;
        boolean tried = false;
        for (JwtKeys.Key k : keys.keys) {
            if (k.family != family || (kid != null && k.kid != null && !kid.equals(k.kid))) {
                continue;
            }
            tried = true;
            try {
                if (jwt.verify(k.verifier)) {
                    verified = true;
                    break;
                }
            } catch (JOSEException e) {
                // wrong curve or key size for this algorithm: try the next key
            }
        }
        if (!tried) {
            throw refuse(h, "no " + family + " key" + (kid == null ? "" : " with kid '" + kid + "'"));
        }
        if (!verified) {
            throw refuse(h, "bad signature (" + alg + ")");
        }
        JWTClaimsSet c;
        try {
            c = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw refuse(h, "claims are not a JSON object");
        }
        long leeway = settings.leeway * 1000L;
        Date exp = c.getExpirationTime();
        if (exp != null && nowMillis > exp.getTime() + leeway) {
            throw refuse(h, "expired at " + exp.toInstant());
        }
        Date nbf = c.getNotBeforeTime();
        if (nbf != null && nowMillis + leeway < nbf.getTime()) {
            throw refuse(h, "not valid before " + nbf.toInstant());
        }
        if (settings.issuer != null && !settings.issuer.equals(c.getIssuer())) {
            throw refuse(h, "issuer '" + c.getIssuer() + "' is not '" + settings.issuer + "'");
        }
        if (settings.audience != null) {
            List<String> aud = c.getAudience();
            if (aud == null || !aud.contains(settings.audience)) {
                throw refuse(h, "audience " + aud + " does not contain '" + settings.audience + "'");
            }
        }
        PeerAddress peer = target(c, h);
        return new Verified(peer, string(c, "framing", h), string(c, "framing-config", h), string(c, "protocol", h),
                exp == null ? 0 : exp.getTime() + leeway);
    }

    private static PeerAddress target(JWTClaimsSet c, String h) {
        Map<String, Object> all = c.getClaims();
        Object peer = all.get("peer");
        String text;
        if (peer != null) {
            if (!(peer instanceof String)) {
                throw refuse(h, "claim 'peer' is not a string");
            }
            text = (String) peer;
        } else {
            Object host = all.get("host");
            Object port = all.get("port");
            if (!(host instanceof String) || port == null) {
                throw refuse(h, "no 'peer' claim and no 'host' and 'port' claims");
            }
            String hs = (String) host;
            if (hs.indexOf(':') >= 0 && !hs.startsWith("[")) {
                hs = "[" + hs + "]";
            }
            String ps = port instanceof Number ? String.valueOf(((Number) port).longValue()) : String.valueOf(port).trim();
            text = hs + ":" + ps;
        }
        try {
            return TokenRoutes.target(text);
        } catch (IllegalArgumentException e) {
            throw refuse(h, "bad peer in the token: " + e.getMessage());
        }
    }

    private static String string(JWTClaimsSet c, String name, String h) {
        Object v = c.getClaim(name);
        if (v != null && !(v instanceof String)) {
            throw refuse(h, "claim '" + name + "' is not a string");
        }
        return (String) v;
    }

    private static RouteException refuse(String hash, String reason) {
        return new RouteException(403, "token " + hash + " refused: " + reason);
    }
}
