package io.websocksy.webconsole.internal;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/** Minimal request, response and session stand-ins (dynamic proxies) for the pure units of this bundle. */
final class Fakes {
    private Fakes() {
    }

    static final class Session {
        final Map<String, Object> attributes = new HashMap<>();
        final HttpSession proxy = (HttpSession) Proxy.newProxyInstance(Fakes.class.getClassLoader(),
                new Class<?>[] {HttpSession.class}, (p, m, a) -> {
                    switch (m.getName()) {
                        case "getAttribute": return attributes.get(a[0]);
                        case "setAttribute": attributes.put((String) a[0], a[1]); return null;
                        case "removeAttribute": attributes.remove(a[0]); return null;
                        default: return null;
                    }
                });
    }

    static HttpServletRequest request(String method, Map<String, String> headers, Map<String, String> params,
            Session session) {
        return (HttpServletRequest) Proxy.newProxyInstance(Fakes.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, a) -> {
                    switch (m.getName()) {
                        case "getMethod": return method;
                        case "getHeader": return headers.entrySet().stream()
                                .filter(e -> e.getKey().equalsIgnoreCase((String) a[0])).map(Map.Entry::getValue)
                                .findFirst().orElse(null);
                        case "getParameter": return params.get(a[0]);
                        case "getScheme": return "http";
                        case "getRequestURI": return "/system/console/websocksy";
                        case "getRemoteAddr": return "127.0.0.1";
                        case "getAttribute": return null;
                        case "getSession": return session == null ? null : session.proxy;
                        default: return null;
                    }
                });
    }

    static final class Response {
        int status = 200;
        final Map<String, String> headers = new HashMap<>();
        final HttpServletResponse proxy = (HttpServletResponse) Proxy.newProxyInstance(Fakes.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (p, m, a) -> {
                    switch (m.getName()) {
                        case "setHeader": headers.put((String) a[0], (String) a[1]); return null;
                        case "sendError": case "setStatus": status = (Integer) a[0]; return null;
                        default: return null;
                    }
                });
    }
}
