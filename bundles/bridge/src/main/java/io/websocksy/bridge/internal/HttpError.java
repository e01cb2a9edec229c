package io.websocksy.bridge.internal;

/** A handshake failure: the HTTP status to answer and the cause to log. */
final class HttpError extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    HttpError(int status, String cause) {
        super(cause, null, false, false);
        this.status = status;
    }
}
