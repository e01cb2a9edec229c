package io.websocksy.backend.token.internal;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The tokens of one source (a file, or every regular file of a directory, in name order; names starting
 * with {@code .} are skipped, so editors' swap files are not read). {@link #refresh()} re-reads only when
 * a file's size or modification time, or the directory's list of files, changed. Look-ups read an
 * immutable map and never touch the disk.
 */
final class TokenTable {
    private final Path source;
    private final Consumer<String> warn;
    private volatile Map<String, TokenFile.Entry> tokens = Map.of();
    private List<String> fingerprint; // guarded by this

    TokenTable(Path source, Consumer<String> warn) {
        this.source = source;
        this.warn = warn;
    }

    /** @return the entry of {@code token}, or null */
    TokenFile.Entry lookup(String token) {
        return tokens.get(token);
    }

    int size() {
        return tokens.size();
    }

    /**
     * Reads the source again when it changed.
     *
     * @return true when it was (re)read
     * @throws IOException when the source cannot be listed at all (the previous tokens stay)
     */
    synchronized boolean refresh() throws IOException {
        List<Path> files = files();
        List<String> fp = new ArrayList<>(files.size());
        for (Path f : files) {
            try {
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                fp.add(f + "|" + a.size() + "|" + a.lastModifiedTime().toMillis());
            } catch (IOException gone) {
                fp.add(f + "|gone");
            }
        }
        if (fp.equals(fingerprint)) {
            return false;
        }
        Map<String, TokenFile.Entry> next = TokenFile.table();
        for (Path f : files) {
            List<String> lines;
            try {
                lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            } catch (CharacterCodingException e) {
                warn.accept(f + ": not UTF-8 text; file skipped");
                continue;
            } catch (IOException e) {
                warn.accept(f + ": cannot be read (" + e + "); file skipped");
                continue;
            }
            TokenFile.parse(f.toString(), lines, next, warn);
        }
        tokens = Collections.unmodifiableMap(next);
        fingerprint = fp;
        return true;
    }

    private List<Path> files() throws IOException {
        if (!Files.isDirectory(source)) {
            if (!Files.isRegularFile(source)) {
                throw new IOException(source + " is neither a file nor a directory");
            }
            return List.of(source);
        }
        try (Stream<Path> s = Files.list(source)) {
            List<Path> out = new ArrayList<>();
            s.filter(p -> !p.getFileName().toString().startsWith(".") && Files.isRegularFile(p)).sorted()
                    .forEach(out::add);
            return out;
        }
    }
}
