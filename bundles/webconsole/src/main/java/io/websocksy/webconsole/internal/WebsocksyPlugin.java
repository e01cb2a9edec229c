package io.websocksy.webconsole.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.websocksy.api.admin.BridgeAdmin;
import io.websocksy.api.admin.DryRunRequest;
import io.websocksy.api.admin.DryRunResult;
import io.websocksy.api.admin.ListenerInfo;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * The Web Console page {@code /system/console/websocksy}: listeners, live connections, close, drain and resume,
 * route dry run, all through {@link BridgeAdmin}. GET renders {@link Page} inside the console's frame; POST carries
 * one action, checked for the session's CSRF token and the same origin, and answers {@code 303} back to the page
 * with the outcome shown once (post/redirect/get). A bad action gets {@code 400} or {@code 403} and one log line.
 */
@Component(service = Servlet.class, property = {
    "felix.webconsole.label=" + WebsocksyPlugin.LABEL,
    "felix.webconsole.title=websocksy",
    "felix.webconsole.category=websocksy"})
public final class WebsocksyPlugin extends HttpServlet {
    static final String LABEL = "websocksy";
    static final String FLASH = "io.websocksy.webconsole.flash";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(WebsocksyPlugin.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile transient BridgeAdmin admin;

    /** For DS. */
    public WebsocksyPlugin() {
    }

    /** @param admin the bridge (tests) */
    WebsocksyPlugin(BridgeAdmin admin) {
        this.admin = admin;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        HttpSession session = req.getSession(true);
        String token = token(session);
        Page.Flash flash = (Page.Flash) session.getAttribute(FLASH);
        if (flash != null) {
            session.removeAttribute(FLASH);
        }
        BridgeAdmin a = admin;
        String html = a == null ? Page.render(null, List.of(), action(req), token, flash)
                : Page.render(a.listeners(), a.connections(), action(req), token, flash);
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getWriter().write(html);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        req.setCharacterEncoding("UTF-8");
        String what = req.getParameter("action");
        String why = SameOrigin.refusal(req);
        if (why != null) {
            refuse(req, resp, 403, "cross-origin request refused: " + why);
            return;
        }
        HttpSession session = req.getSession(false);
        Object expected = session == null ? null : session.getAttribute(ConsoleSecurityProvider.CSRF_ATTRIBUTE);
        String sent = req.getParameter("token");
        if (expected == null || sent == null || !MessageDigest.isEqual(expected.toString().getBytes(StandardCharsets.UTF_8),
                sent.getBytes(StandardCharsets.UTF_8))) {
            refuse(req, resp, 403, "missing or wrong CSRF token (reload the page)");
            return;
        }
        BridgeAdmin a = admin;
        if (a == null) {
            refuse(req, resp, 503, "the websocksy bridge is not running");
            return;
        }
        Page.Flash outcome;
        try {
            outcome = act(a, what, req);
        } catch (IllegalArgumentException | NoSuchElementException | IllegalStateException e) {
            LOG.warn("Web Console: websocksy {} refused: {}", SameOrigin.clean(String.valueOf(what)), e.getMessage());
            outcome = new Page.Flash(false, e.getMessage());
        }
        session.setAttribute(FLASH, outcome);
        resp.setStatus(303);
        resp.setHeader("Location", action(req));
    }

    private Page.Flash act(BridgeAdmin a, String what, HttpServletRequest req) {
        if (what == null) {
            throw new IllegalArgumentException("no action");
        }
        switch (what) {
            case "close": {
                long id = number(req.getParameter("id"), "connection id");
                int code = (int) number(req.getParameter("code"), "close code");
                String reason = req.getParameter("reason");
                if (!a.close(id, code, reason)) {
                    throw new NoSuchElementException("no live connection #" + id);
                }
                LOG.info("Web Console: closing connection #{} with {} {}", id, code, SameOrigin.clean(String.valueOf(reason)));
                return new Page.Flash(true, "connection #" + id + " closed with " + code);
            }
            case "drain": {
                String listener = required(req, "listener");
                long timeout = number(req.getParameter("timeout"), "timeout");
                ListenerInfo l = a.drain(listener, Duration.ofSeconds(timeout));
                LOG.info("Web Console: draining listener {} (timeout {} s)", l.name(), timeout);
                return new Page.Flash(true, "listener " + l.name() + " " + l.state().label());
            }
            case "resume": {
                ListenerInfo l = a.resume(required(req, "listener"));
                LOG.info("Web Console: resumed listener {}", l.name());
                return new Page.Flash(true, "listener " + l.name() + " " + l.state().label() + " on " + l.address());
            }
            case "dryrun":
                return dryRun(a, req);
            default:
                throw new IllegalArgumentException("unknown action '" + SameOrigin.clean(what) + "'");
        }
    }

    private static Page.Flash dryRun(BridgeAdmin a, HttpServletRequest req) {
        String target = req.getParameter("target");
        DryRunRequest.Builder b = DryRunRequest.forTarget(target == null || target.isEmpty() ? "/" : target.strip());
        String listener = req.getParameter("listener");
        if (listener != null && !listener.isBlank()) {
            b.listener(listener.strip());
        }
        String protocols = req.getParameter("subprotocols");
        if (protocols != null) {
            for (String p : protocols.split(",")) {
                if (!p.isBlank()) {
                    b.subprotocol(p.strip());
                }
            }
        }
        String headers = req.getParameter("headers");
        if (headers != null) {
            for (String line : headers.split("\r?\n")) {
                if (line.isBlank()) {
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("header line '" + SameOrigin.clean(line) + "' has no 'Name:'");
                }
                b.header(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        DryRunResult r;
        try {
            r = a.dryRun(b.build()).toCompletableFuture().get(15, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the dry run did not finish within 15 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("dry run failed: " + e.getCause());
        }
        String where = r.backend().map(be -> " (backend " + be + ")").orElse("");
        if (r.upgraded()) {
            return new Page.Flash(true, "dry run: 101" + where + " -> " + r.route().map(Object::toString).orElse(""));
        }
        return new Page.Flash(false, "dry run: " + r.status() + " " + r.cause() + where);
    }

    private static String required(HttpServletRequest req, String name) {
        String v = req.getParameter(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + " is missing");
        }
        return v.strip();
    }

    private static long number(String s, String what) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(what + " is missing");
        }
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + SameOrigin.clean(s) + "' is not a number");
        }
    }

    private static void refuse(HttpServletRequest req, HttpServletResponse resp, int status, String why) throws IOException {
        LOG.warn("Web Console: {} {} from {} -> {} {}", req.getMethod(), SameOrigin.clean(req.getRequestURI()),
                req.getRemoteAddr(), status, why);
        resp.sendError(status, why);
    }

    private static String token(HttpSession session) {
        Object t = session.getAttribute(ConsoleSecurityProvider.CSRF_ATTRIBUTE);
        if (t == null) {
            t = ConsoleSecurityProvider.newToken();
            session.setAttribute(ConsoleSecurityProvider.CSRF_ATTRIBUTE, t);
        }
        return t.toString();
    }

    /** @return the page's own URL: the console's plugin root attribute, else the request's path */
    private static String action(HttpServletRequest req) {
        Object root = req.getAttribute("felix.webconsole.pluginRoot");
        if (root instanceof String && !((String) root).isEmpty()) {
            return (String) root;
        }
        String uri = req.getRequestURI();
        int at = uri.indexOf("/" + LABEL);
        return at >= 0 ? uri.substring(0, at + LABEL.length() + 1) : uri;
    }
}
