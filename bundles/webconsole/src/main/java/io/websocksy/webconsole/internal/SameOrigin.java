package io.websocksy.webconsole.internal;

import java.net.URI;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The same-origin check for requests that change state (OWASP's "verify origin with standard headers"): a browser
 * sends {@code Sec-Fetch-Site} and {@code Origin} with every POST, and a cross-site form or script cannot forge
 * them. A request without either header (curl, a script) is not a browser acting on a user's behalf and passes.
 */
final class SameOrigin {
    private SameOrigin() {
    }

    /** @return true for GET, HEAD, OPTIONS and TRACE */
    static boolean safe(String method) {
        return "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method) || "TRACE".equals(method);
    }

    /**
     * @param req the request
     * @return null when the request comes from the console's own pages (or from no browser), else why not
     */
    static String refusal(HttpServletRequest req) {
        String site = req.getHeader("Sec-Fetch-Site");
        if (site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none")) {
            return "Sec-Fetch-Site is " + clean(site);
        }
        String host = req.getHeader("Host");
        String expected = host == null ? null : (req.getScheme() + "://" + host).toLowerCase(Locale.ROOT);
        String origin = req.getHeader("Origin");
        if (origin != null) {
            if (!origin.toLowerCase(Locale.ROOT).equals(expected)) {
                return "Origin " + clean(origin) + " is not " + clean(String.valueOf(expected));
            }
            return null;
        }
        String referer = req.getHeader("Referer");
        if (referer != null) {
            String from = originOf(referer);
            if (from == null || !from.equals(expected)) {
                return "Referer " + clean(referer) + " is not from " + clean(String.valueOf(expected));
            }
        }
        return null;
    }

    private static String originOf(String url) {
        try {
            URI u = new URI(url);
            if (u.getScheme() == null || u.getRawAuthority() == null) {
                return null;
            }
            return (u.getScheme() + "://" + u.getRawAuthority()).toLowerCase(Locale.ROOT);
        } catch (Exception e) {
            return null;
        }
    }

    /** @return {@code s} fit for one log line: controls replaced, at most 100 characters */
    static String clean(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 100; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return s.length() > 100 ? b + "..." : b.toString();
    }
}
