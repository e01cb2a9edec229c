package io.websocksy.api.admin;

import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Management of a running bridge, registered as an OSGi service by the bridge bundle. Every method is
 * thread-safe and returns promptly: none waits for a network peer (the dry run's stage completes
 * later). Bad arguments throw {@link IllegalArgumentException} (or {@link NoSuchElementException}
 * for an unknown listener) whose message names the problem and is fit to show a user as is.
 */
@ProviderType
public interface BridgeAdmin {
    /** Close codes {@link #close(long, int, String)} accepts besides 3000-4999. */
    List<Integer> CLOSE_CODES = List.of(1000, 1001, 1008);
    /** Longest close reason in UTF-8 bytes (a control frame carries 125 bytes, 2 of them the code). */
    int MAX_REASON_BYTES = 123;

    /**
     * @return every configured listener, sorted by name: running ones, and since 1.1 those that could not start
     *     ({@link ListenerInfo.State#FAILED}, with {@link ListenerInfo#failure()} saying why)
     */
    List<ListenerInfo> listeners();

    /** @return every live (upgraded, not yet closed) connection, sorted by id */
    List<ConnectionInfo> connections();

    /**
     * @param id a connection id
     * @return that connection, if it is live
     */
    Optional<ConnectionInfo> connection(long id);

    /**
     * Closes one connection from the server side: a close frame with {@code code} and {@code reason}
     * to the client, then the peer socket is closed. Returns at once; the close handshake completes in
     * the background (the client is cut off 5 s later if it never answers).
     *
     * @param id the connection id
     * @param code one of {@link #CLOSE_CODES} or 3000-4999
     * @param reason short reason sent to the client, at most {@value #MAX_REASON_BYTES} UTF-8 bytes;
     *     null means empty
     * @return false when no live connection has that id
     * @throws IllegalArgumentException for a code or reason that may not be sent
     */
    boolean close(long id, int code, String reason);

    /**
     * Drains a listener: it stops accepting at once (its server socket is closed, so new clients are
     * refused) while open connections carry on; those still open when {@code timeout} has passed are
     * closed with 1001. The listener shows {@link ListenerInfo.State#DRAINING}, then
     * {@link ListenerInfo.State#DRAINED} once no connection is left. {@link #resume(String)} or a
     * configuration update of the listener binds it again.
     *
     * @param listener the listener's name
     * @param timeout how long open connections may stay; zero closes them now
     * @return the listener after the change
     * @throws NoSuchElementException when no listener has that name
     * @throws IllegalArgumentException for a negative timeout
     * @throws IllegalStateException when it is already draining or drained
     */
    ListenerInfo drain(String listener, Duration timeout);

    /**
     * Binds a drained or draining listener again; a pending drain timeout is cancelled.
     *
     * @param listener the listener's name
     * @return the listener after the change
     * @throws NoSuchElementException when no listener has that name
     * @throws IllegalStateException when it is not draining, or its address cannot be bound (the
     *     message says why)
     */
    ListenerInfo resume(String listener);

    /** @return every framer service, sorted by name, the active one of each name first */
    List<ServiceInfo> framers();

    /** @return every backend service, sorted by name, the active one of each name first */
    List<ServiceInfo> backends();

    /**
     * Resolves a route exactly as a real handshake would (RFC 6455 checks of the headers, backend
     * look-up on the route executor, subprotocol check, framer look-up and framer config check) but
     * connects nothing: no peer is contacted and the framer state opened for the check is closed.
     *
     * @param request what a client would send
     * @return a stage completing with the outcome; it never completes exceptionally
     * @throws NoSuchElementException when the request names an unknown listener, or names neither a
     *     listener nor a backend while not exactly one listener runs
     */
    CompletionStage<DryRunResult> dryRun(DryRunRequest request);

    /**
     * @return the bridge's counters now: per listener, backend and framer (since 1.2). Cheap enough to
     *     call on every scrape: it reads counters and walks the live connections once, never blocking
     *     an event loop.
     */
    BridgeMetrics metrics();
}
