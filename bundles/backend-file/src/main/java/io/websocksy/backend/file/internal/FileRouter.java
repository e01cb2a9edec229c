package io.websocksy.backend.file.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.websocksy.api.backend.HandshakeRequest;
import io.websocksy.api.backend.Route;

/**
 * The routing rule of one file-backend configuration (docs/behaviour.md#backends, #relay): try each template in order, expand it,
 * confine it to the base directory, read the route file and pick a line. Synchronous and blocking; the
 * component runs it on its own executor. Thread-safe.
 *
 * <p>Confinement, in order: every substituted value passes {@link PathRules#checkValue} and has {@code /}
 * replaced by {@code _}; the expanded path passes {@link PathRules#checkRelative} (no empty, {@code .} or
 * {@code ..} segment, also after NFKC normalisation); the path built segment by segment under the base must
 * still be under it after {@link Path#normalize()}; its real path (symlinks resolved) must be under the
 * base's real path; it must be a regular file of at most {@value #MAX_FILE_BYTES} bytes, opened without
 * following a final symlink. A value failing any of these is treated as missing and logged.
 */
final class FileRouter {
    /** Largest route file read, in bytes; a larger one is skipped with a warning. */
    static final int MAX_FILE_BYTES = 64 * 1024;
    /** Parsed files kept; the cache is emptied when it would grow beyond this. */
    static final int MAX_CACHED_FILES = 256;

    /** Where the router reports what it did. */
    interface Events {
        /** A client value was refused by the safety rules (traversal attempt or garbage). */
        void rejected(String message);

        /** A route file or the base directory has a problem an administrator should fix. */
        void fileProblem(String message);

        /** Per-connection detail (which template was skipped and why). */
        void debug(Supplier<String> message);
    }

    private static final class Cached {
        final FileTime modified;
        final long size;
        final Object key;
        final PeerFile file;

        Cached(FileTime modified, long size, Object key, PeerFile file) {
            this.modified = modified;
            this.size = size;
            this.key = key;
            this.file = file;
        }

        boolean matches(BasicFileAttributes a) {
            return modified.equals(a.lastModifiedTime()) && size == a.size() && Objects.equals(key, a.fileKey());
        }
    }

    private final FileSettings settings;
    private final FileAccess fs;
    private final Events events;
    private final String pid;
    private final Map<Path, Cached> cache = new ConcurrentHashMap<>();

    FileRouter(FileSettings settings, FileAccess fs, Events events, String pid) {
        this.settings = settings;
        this.fs = fs;
        this.events = events;
        this.pid = pid;
    }

    FileSettings settings() {
        return settings;
    }

    /**
     * @param request the client's handshake
     * @return the route of the first template that yields one, or empty (the client gets 404)
     */
    Optional<Route> route(HandshakeRequest request) {
        Path base = settings.base();
        Path realBase;
        try {
            realBase = fs.realPath(base);
        } catch (IOException e) {
            events.fileProblem(pid + ": base directory " + base + " is not available (" + e + "); no route");
            return Optional.empty();
        }
        for (Template t : settings.templates()) {
            Template.Expansion x = t.expand(request);
            if (x.path() == null) {
                if (x.isRejected()) {
                    reject(request, t, x.variable(), x.value(), x.reason());
                } else {
                    events.debug(() -> pid + ": " + client(request) + ": template '" + t + "' skipped: " + x.missing());
                }
                continue;
            }
            Path candidate = base;
            try {
                for (String segment : x.path().split("/")) {
                    candidate = candidate.resolve(segment);
                }
            } catch (InvalidPathException e) {
                reject(request, t, "expanded path", x.path(), "not a valid file name (" + e.getReason() + ")");
                continue;
            }
            candidate = candidate.normalize();
            if (!candidate.startsWith(base) || candidate.equals(base)) {
                reject(request, t, "expanded path", x.path(), "leaves " + base);
                continue;
            }
            Path real;
            try {
                real = fs.realPath(candidate);
            } catch (NoSuchFileException | NotDirectoryException e) {
                Path c = candidate;
                events.debug(() -> pid + ": " + client(request) + ": template '" + t + "' skipped: no file " + c);
                continue;
            } catch (IOException e) {
                if (underRegularFile(base, candidate)) {
                    Path c = candidate;
                    events.debug(() -> pid + ": " + client(request) + ": template '" + t + "' skipped: no file " + c
                            + " (a parent is a file)");
                } else {
                    events.fileProblem(pid + ": template '" + t + "': cannot resolve " + candidate + " (" + e
                            + "); template skipped");
                }
                continue;
            }
            if (!real.startsWith(realBase) || real.equals(realBase)) {
                reject(request, t, "expanded path", x.path(), "resolves to " + real
                        + " outside " + realBase + " (symbolic link)");
                continue;
            }
            PeerFile file = load(real, t);
            if (file == null) {
                continue;
            }
            Optional<PeerFile.Selected> s = file.select(request.subprotocols());
            if (s.isPresent()) {
                Path r = real;
                events.debug(() -> pid + ": " + client(request) + ": routed by " + r + ":" + s.get().line().number()
                        + " (template '" + t + "'): " + s.get().route());
                return Optional.of(withPeerProxy(s.get().route(), settings));
            }
            Path r = real;
            events.debug(() -> pid + ": " + client(request) + ": template '" + t + "' skipped: no line of " + r
                    + " matches the offered subprotocols " + request.subprotocols());
        }
        return Optional.empty();
    }

    /** The backend's {@code peer-proxy-protocol} on a route to a stream peer (datagram peers get none). */
    static io.websocksy.api.backend.Route withPeerProxy(io.websocksy.api.backend.Route r, FileSettings settings) {
        io.websocksy.api.backend.PeerProxyProtocol p = settings.peerProxyProtocol();
        if (p == io.websocksy.api.backend.PeerProxyProtocol.OFF || !r.peer().transport().isStream()) {
            return r;
        }
        return io.websocksy.api.backend.Route.to(r.peer()).framer(r.framer()).framerConfig(r.framerConfig())
                .subprotocol(r.subprotocol().orElse(null)).peerProxyProtocol(p).build();
    }

    /** ENOTDIR is reported as a plain FileSystemException: recognise it by a parent that is a file. */
    private static boolean underRegularFile(Path base, Path candidate) {
        for (Path p = candidate.getParent(); p != null && p.startsWith(base) && !p.equals(base); p = p.getParent()) {
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
        }
        return false;
    }

    private void reject(HandshakeRequest request, Template t, String variable, String value, String reason) {
        events.rejected(pid + ": " + client(request) + ": template '" + t + "': " + variable + " value '"
                + LogText.quote(value) + "' rejected (" + reason + "); template skipped");
    }

    private static String client(HandshakeRequest request) {
        InetSocketAddress a = request.remoteAddress();
        String who = a == null ? "client" : "client " + (a.getAddress() != null
                ? a.getAddress().getHostAddress() : a.getHostString()) + ":" + a.getPort();
        return who + " '" + LogText.quote(request.path()) + "'";
    }

    /** @return the parsed file, from the cache while its modification time, size and inode stay the same */
    private PeerFile load(Path real, Template t) {
        BasicFileAttributes a;
        try {
            a = fs.attributes(real);
        } catch (NoSuchFileException e) {
            events.debug(() -> pid + ": template '" + t + "' skipped: " + real + " vanished");
            return null;
        } catch (IOException e) {
            events.fileProblem(pid + ": template '" + t + "': cannot read " + real + " (" + e + "); template skipped");
            return null;
        }
        if (!a.isRegularFile()) {
            events.fileProblem(pid + ": template '" + t + "': " + real + " is not a regular file; template skipped");
            return null;
        }
        if (a.size() > MAX_FILE_BYTES) {
            events.fileProblem(pid + ": template '" + t + "': " + real + " is larger than " + MAX_FILE_BYTES
                    + " bytes (" + a.size() + "); template skipped");
            return null;
        }
        Cached c = cache.get(real);
        if (c != null && c.matches(a)) {
            return c.file;
        }
        byte[] content;
        try {
            content = fs.read(real, MAX_FILE_BYTES);
        } catch (NoSuchFileException e) {
            events.debug(() -> pid + ": template '" + t + "' skipped: " + real + " vanished");
            return null;
        } catch (IOException e) {
            events.fileProblem(pid + ": template '" + t + "': cannot read " + real + " (" + e + "); template skipped");
            return null;
        }
        if (content.length > MAX_FILE_BYTES) {
            events.fileProblem(pid + ": template '" + t + "': " + real + " grew beyond " + MAX_FILE_BYTES
                    + " bytes; template skipped");
            return null;
        }
        PeerFile parsed = PeerFile.parse(content, real.toString(), m -> events.fileProblem(pid + ": " + m));
        if (cache.size() >= MAX_CACHED_FILES) {
            cache.clear();
        }
        cache.put(real, new Cached(a.lastModifiedTime(), a.size(), a.fileKey(), parsed));
        return parsed;
    }
}
