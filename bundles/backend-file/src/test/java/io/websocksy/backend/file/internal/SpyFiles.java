package io.websocksy.backend.file.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The real file system, recording every path the router asks about and every thread that asked. */
class SpyFiles implements FileAccess {
    final List<Path> resolved = new CopyOnWriteArrayList<>();
    final List<Path> statted = new CopyOnWriteArrayList<>();
    final List<Path> read = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public Path realPath(Path p) throws IOException {
        resolved.add(p);
        threads.add(Thread.currentThread().getName());
        return SYSTEM.realPath(p);
    }

    @Override
    public BasicFileAttributes attributes(Path p) throws IOException {
        statted.add(p);
        return SYSTEM.attributes(p);
    }

    @Override
    public byte[] read(Path p, int limit) throws IOException {
        read.add(p);
        return SYSTEM.read(p, limit);
    }
}
