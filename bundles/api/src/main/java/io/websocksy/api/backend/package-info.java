/**
 * The backend SPI: which peer (and framer and subprotocol) serves one incoming WebSocket, decided
 * from its handshake.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.websocksy.api.backend;
