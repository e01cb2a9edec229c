package io.websocksy.shell.internal;

/** A bad command line: the message is the one line shown to the user, followed by the usage. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
