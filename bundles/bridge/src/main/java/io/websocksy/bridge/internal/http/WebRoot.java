package io.websocksy.bridge.internal.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The listener's static file directory ({@code web}, {@code web-index}, {@code web-listing},
 * {@code web-cache-control}) and the mapping of a request path onto it, safe by construction: each
 * path segment is percent-decoded on its own and refused when it decodes to {@code /}, {@code \},
 * NUL or another control character, or is {@code .}, {@code ..} or empty; the joined path is
 * resolved with every symlink followed and refused unless the result is still inside the (real)
 * directory; only regular files are served. A refusal is a {@link Kind#NOT_FOUND} naming why, so
 * the client sees 404 and never learns more. This class touches the file system (stat, readdir) and
 * is called off the event loop.
 */
public final class WebRoot {
    /** The real path of {@code web}. */
    public final Path root;
    /** {@code web-index}; empty: no index file. */
    public final String index;
    public final boolean listing;
    /** {@code web-cache-control}; empty: no header. */
    public final String cacheControl;

    /** Made by {@code ListenerSettings} from the checked {@code web*} keys. */
    public WebRoot(Path root, String index, boolean listing, String cacheControl) {
        this.root = root;
        this.index = index;
        this.listing = listing;
        this.cacheControl = cacheControl;
    }

    public enum Kind { FILE, LISTING, REDIRECT, NOT_FOUND }

    /** What a request path maps to. */
    public static final class Resolved {
        public final Kind kind;
        /** FILE: the file's real path; LISTING: the directory's */
        public final Path path;
        public final BasicFileAttributes attrs;
        /** REDIRECT: the Location; NOT_FOUND: the cause */
        public final String text;
        /** LISTING: the entries, directories with a trailing slash, sorted */
        public final List<String> entries;

        private Resolved(Kind kind, Path path, BasicFileAttributes attrs, String text, List<String> entries) {
            this.kind = kind;
            this.path = path;
            this.attrs = attrs;
            this.text = text;
            this.entries = entries;
        }

        public static Resolved notFound(String cause) {
            return new Resolved(Kind.NOT_FOUND, null, null, cause, null);
        }

        @Override
        public String toString() {
            return kind + (path != null ? " " + path : "") + (text != null ? " " + text : "");
        }
    }

    /**
     * Maps a request target (origin form, query allowed) onto the directory.
     *
     * @param target the request target as received, starting with {@code /}
     */
    public Resolved resolve(String target) {
        int q = target.indexOf('?');
        String raw = q >= 0 ? target.substring(0, q) : target;
        String query = q >= 0 ? target.substring(q) : "";
        if (!raw.startsWith("/")) {
            return Resolved.notFound("request target is not an absolute path");
        }
        String[] parts = raw.substring(1).split("/", -1);
        boolean trailingSlash = raw.endsWith("/");
        Path p = root;
        int n = trailingSlash ? parts.length - 1 : parts.length;
        for (int i = 0; i < n; i++) {
            String seg;
            try {
                seg = decodeSegment(parts[i]);
            } catch (IllegalArgumentException e) {
                return Resolved.notFound(e.getMessage());
            }
            try {
                p = p.resolve(seg);
            } catch (InvalidPathException e) {
                return Resolved.notFound("invalid path segment");
            }
        }
        Path real;
        BasicFileAttributes a;
        try {
            real = p.toRealPath();
            if (!real.startsWith(root)) {
                return Resolved.notFound("path leaves the web directory (symlink)");
            }
            a = Files.readAttributes(real, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return Resolved.notFound("no such file");
        } catch (IOException | SecurityException e) {
            return Resolved.notFound("cannot read (" + e.getClass().getSimpleName() + ")");
        }
        if (a.isDirectory()) {
            if (!trailingSlash && n > 0) {
                return new Resolved(Kind.REDIRECT, null, null, raw + "/" + query, null);
            }
            if (!index.isEmpty()) {
                try {
                    Path idx = real.resolve(index).toRealPath();
                    BasicFileAttributes ia = Files.readAttributes(idx, BasicFileAttributes.class);
                    if (idx.startsWith(root) && ia.isRegularFile()) {
                        return new Resolved(Kind.FILE, idx, ia, null, null);
                    }
                } catch (IOException | SecurityException e) {
                    // no usable index: listing or 404 below
                }
            }
            if (!listing) {
                return Resolved.notFound("directory without " + (index.isEmpty() ? "an index" : index)
                        + " (web-listing is off)");
            }
            try {
                return new Resolved(Kind.LISTING, real, a, null, list(real));
            } catch (IOException | SecurityException e) {
                return Resolved.notFound("cannot list the directory (" + e.getClass().getSimpleName() + ")");
            }
        }
        if (!a.isRegularFile()) {
            return Resolved.notFound("not a regular file");
        }
        if (trailingSlash) {
            return Resolved.notFound("not a directory");
        }
        return new Resolved(Kind.FILE, real, a, null, null);
    }

    private List<String> list(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path e : ds) {
                String name = e.getFileName().toString();
                try {
                    Path r = e.toRealPath();
                    if (!r.startsWith(root)) {
                        continue; // a symlink leaving the directory is not shown either
                    }
                    boolean d = Files.isDirectory(r, LinkOption.NOFOLLOW_LINKS);
                    if (!d && !Files.isRegularFile(r, LinkOption.NOFOLLOW_LINKS)) {
                        continue;
                    }
                    decodeSegment(encodeSegment(name)); // names we would refuse are not listed
                    out.add(d ? name + "/" : name);
                } catch (IOException | IllegalArgumentException ex) {
                    // dangling link or a refused name: skip
                }
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * Percent-decodes one path segment strictly (UTF-8).
     *
     * @throws IllegalArgumentException naming the refusal
     */
    public static String decodeSegment(String s) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty path segment");
        }
        ByteBuffer bytes = ByteBuffer.allocate(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new IllegalArgumentException("bad percent-encoding");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("bad percent-encoding");
                }
                bytes.put((byte) (hi << 4 | lo));
                i += 2;
            } else if (c > 0x7f) {
                throw new IllegalArgumentException("non-ASCII byte in path");
            } else {
                bytes.put((byte) c);
            }
        }
        bytes.flip();
        String out;
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes);
            out = cb.toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("path is not UTF-8");
        }
        if (out.equals(".") || out.equals("..")) {
            throw new IllegalArgumentException("dot segment in path");
        }
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            if (c == '/' || c == '\\') {
                throw new IllegalArgumentException("encoded or backslash separator in path");
            }
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException(c == 0 ? "NUL in path" : "control character in path");
            }
        }
        return out;
    }

    /** Percent-encodes a file name for an href (everything but RFC 3986 unreserved characters). */
    public static String encodeSegment(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 8);
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return root + " index=" + (index.isEmpty() ? "-" : index) + " listing=" + listing + " cache-control="
                + (cacheControl.isEmpty() ? "-" : cacheControl);
    }
}
