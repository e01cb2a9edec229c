package io.websocksy.bridge.internal.http;

/** A handshake failure: the HTTP status to answer and the cause to log. */
public final class HttpError extends Exception {
    private static final long serialVersionUID = 1L;
    public final int status;

    public HttpError(int status, String cause) {
        super(cause, null, false, false);
        this.status = status;
    }
}
