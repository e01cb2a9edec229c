package io.websocksy.launcher.agent.internal;

/** A reason not to start: the launcher prints {@link #getMessage()} after {@code websocksy: } and exits. */
final class LaunchFailure extends Exception {
    private static final long serialVersionUID = 1L;
    /** Exit status for bad input. */
    static final int USAGE = 2;
    /** Exit status for a start failure (port in use, a component that does not come up). */
    static final int FAILURE = 1;

    final int status;

    LaunchFailure(int status, String message) {
        super(message);
        this.status = status;
    }
}
