package io.websocksy.backend.file.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** Keeps what the router reports. */
final class RecordingEvents implements FileRouter.Events {
    final List<String> rejected = new CopyOnWriteArrayList<>();
    final List<String> problems = new CopyOnWriteArrayList<>();
    final List<String> debug = new CopyOnWriteArrayList<>();

    @Override
    public void rejected(String message) {
        rejected.add(message);
    }

    @Override
    public void fileProblem(String message) {
        problems.add(message);
    }

    @Override
    public void debug(Supplier<String> message) {
        debug.add(message.get());
    }
}
