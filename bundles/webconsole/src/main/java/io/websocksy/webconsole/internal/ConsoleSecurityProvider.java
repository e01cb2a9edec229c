package io.websocksy.webconsole.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import org.apache.felix.webconsole.spi.SecurityProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * The Web Console's security provider {@code websocksy}, registered by {@link ConsoleAccess}. The runtime sets the
 * framework property {@code felix.webconsole.security.providers=websocksy}, so the Web Console registers no servlet
 * at all until this service is there, and it is there only while {@code websocksy.console} has a user name and a
 * valid password:
 * without that configuration the console is not reachable, and its built-in {@code admin}/{@code admin} provider
 * (service ranking {@link Integer#MIN_VALUE}) is never the one asked while this one (ranking 1000) is there.
 *
 * <p>Every request: HTTP Basic against the configuration ({@code 401} otherwise). Every request that can change
 * state (not GET, HEAD, OPTIONS, TRACE): the same-origin check of {@link SameOrigin} ({@code 403} otherwise), for
 * the console's own pages (configuration, bundles) as for the websocksy page. A session is opened on success and
 * holds the CSRF token the websocksy page puts in its forms.
 */
public final class ConsoleSecurityProvider implements SecurityProvider {
    /** Session attribute holding the CSRF token of the websocksy page's forms. */
    public static final String CSRF_ATTRIBUTE = "io.websocksy.webconsole.csrf";
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleSecurityProvider.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] username;
    private final String user;
    private final PasswordCheck password;
    private final String realm;

    /**
     * @param config the configuration
     * @throws IllegalArgumentException when the user name or password is missing or malformed
     */
    public ConsoleSecurityProvider(ConsoleConfig config) {
        String u = config.username();
        if (u == null || u.isBlank()) {
            throw new IllegalArgumentException("username is empty");
        }
        if (u.indexOf(':') >= 0) {
            throw new IllegalArgumentException("username must not contain ':'");
        }
        this.user = u.strip();
        this.username = user.getBytes(StandardCharsets.UTF_8);
        this.password = PasswordCheck.parse(config.password());
        String r = config.realm();
        this.realm = r == null || r.isBlank() || r.indexOf('"') >= 0 ? "websocksy" : r;
        if (password.plain()) {
            LOG.warn("{}.cfg holds the password itself; store a hash instead (README, 'Web Console': "
                    + "{pbkdf2-sha256}... or {sha-256}...)", ConsoleConfig.PID);
        }
        LOG.info("Web Console enabled for user {}", SameOrigin.clean(user));
    }

    @Override
    public Object authenticate(HttpServletRequest request, HttpServletResponse response) {
        try {
            String typedUser = null;
            String typedPassword = null;
            String auth = request.getHeader("Authorization");
            if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
                String decoded;
                try {
                    decoded = new String(Base64.getDecoder().decode(auth.substring(6).strip()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    decoded = "";
                }
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    typedUser = decoded.substring(0, colon);
                    typedPassword = decoded.substring(colon + 1);
                }
            }
            if (typedUser == null) {
                challenge(response);
                return null;
            }
            boolean userOk = MessageDigest.isEqual(username, typedUser.getBytes(StandardCharsets.UTF_8));
            boolean passwordOk = password.matches(typedPassword);
            if (!userOk || !passwordOk) {
                LOG.warn("Web Console: {} {} from {} -> 401 wrong user name or password (user '{}')",
                        request.getMethod(), SameOrigin.clean(request.getRequestURI()), request.getRemoteAddr(),
                        SameOrigin.clean(typedUser));
                challenge(response);
                return null;
            }
            if (!SameOrigin.safe(request.getMethod())) {
                String why = SameOrigin.refusal(request);
                if (why != null) {
                    LOG.warn("Web Console: {} {} from {} -> 403 cross-origin request refused: {}", request.getMethod(),
                            SameOrigin.clean(request.getRequestURI()), request.getRemoteAddr(), why);
                    response.sendError(403, "cross-origin request refused");
                    return null;
                }
            }
            HttpSession session = request.getSession(true);
            if (session.getAttribute(CSRF_ATTRIBUTE) == null) {
                session.setAttribute(CSRF_ATTRIBUTE, newToken());
            }
            return user;
        } catch (IOException e) {
            return null;
        }
    }

    private void challenge(HttpServletResponse response) throws IOException {
        response.setHeader("WWW-Authenticate", "Basic realm=\"" + realm + "\", charset=\"UTF-8\"");
        response.sendError(401);
    }

    /** @return 32 random bytes, base64url */
    static String newToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    @Override
    public boolean authorize(Object user, String role) {
        return this.user.equals(user);
    }

    @Override
    public void logout(HttpServletRequest request, HttpServletResponse response) {
        // HTTP Basic has no log-out; the Web Console invalidates the session (and with it the CSRF token)
    }
}
