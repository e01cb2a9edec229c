/**
 * The framer SPI: how the byte stream coming back from a stream peer is cut into WebSocket
 * messages, and whether each is sent as text or binary.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.websocksy.api.framer;
