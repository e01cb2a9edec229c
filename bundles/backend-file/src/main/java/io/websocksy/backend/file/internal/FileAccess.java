package io.websocksy.backend.file.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

/**
 * The file-system calls the router makes, in one place so that tests can watch every path it touches.
 * {@link #SYSTEM} is the real thing.
 */
interface FileAccess {

    /**
     * @param p a path
     * @return its real path (symlinks resolved)
     * @throws IOException when it does not exist or cannot be resolved
     */
    Path realPath(Path p) throws IOException;

    /**
     * @param p a real path
     * @return its attributes, not following a final symlink
     * @throws IOException when they cannot be read
     */
    BasicFileAttributes attributes(Path p) throws IOException;

    /**
     * @param p a real path to a regular file
     * @param limit the most bytes wanted
     * @return the file's content, or {@code limit + 1} bytes when it is longer than {@code limit}
     * @throws IOException when it cannot be read
     */
    byte[] read(Path p, int limit) throws IOException;

    /** The default file system. A final symlink is never followed when opening (O_NOFOLLOW). */
    FileAccess SYSTEM = new FileAccess() {
        @Override
        public Path realPath(Path p) throws IOException {
            return p.toRealPath();
        }

        @Override
        public BasicFileAttributes attributes(Path p) throws IOException {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }

        @Override
        public byte[] read(Path p, int limit) throws IOException {
            try (InputStream in = Files.newInputStream(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                byte[] buf = in.readNBytes(limit + 1);
                return buf.length <= limit ? buf : Arrays.copyOf(buf, limit + 1);
            }
        }
    };
}
