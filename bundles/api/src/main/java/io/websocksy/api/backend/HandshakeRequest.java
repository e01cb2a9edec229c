package io.websocksy.api.backend;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a backend sees of a client's WebSocket handshake. Implemented by the bridge; immutable and
 * safe to use from any thread.
 */
@ProviderType
public interface HandshakeRequest {
    /** @return the request path without the query string, exactly as sent (still percent-encoded), e.g. {@code /vnc/a} */
    String path();

    /** @return the path without leading and trailing slashes and without the query, e.g. {@code vnc/a} */
    String endpoint();

    /** @return the raw query string after {@code ?}, or empty when there is none */
    String rawQuery();

    /**
     * @param name a query parameter name (exact, case-sensitive)
     * @return its first value, percent-decoded as UTF-8
     */
    Optional<String> query(String name);

    /** @return all query parameters, percent-decoded, values in request order */
    Map<String, List<String>> queryParameters();

    /**
     * @param name a header name, case-insensitive
     * @return the first value of that header
     */
    Optional<String> header(String name);

    /**
     * @param name a header name, case-insensitive
     * @return every value of that header, in request order (empty when absent)
     */
    List<String> headers(String name);

    /** @return the header names as sent (first spelling of each), in request order */
    Set<String> headerNames();

    /**
     * @param name a cookie name (exact, case-sensitive)
     * @return its value; when a cookie is repeated the first one wins
     */
    Optional<String> cookie(String name);

    /** @return all cookies (RFC 6265 parsing of every {@code Cookie} header; first occurrence wins) */
    Map<String, String> cookies();

    /** @return the subprotocols the client offered, trimmed, duplicates dropped, order kept */
    List<String> subprotocols();

    /** @return the client's address */
    InetSocketAddress remoteAddress();

    /** @return the name of the listener that accepted the connection */
    String listener();
}
