/**
 * Peer addresses: where the bridge connects for one WebSocket ({@code tcp://}, {@code udp://},
 * {@code unix://}, {@code unix-dgram://}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.websocksy.api.peer;
