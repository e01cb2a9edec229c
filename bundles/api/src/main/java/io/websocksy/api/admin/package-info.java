/**
 * Management of a running bridge: snapshots of listeners, connections, framers and backends,
 * closing a connection, draining a listener, and a route dry run, and the bridge's counters ({@link io.websocksy.api.admin.BridgeMetrics}, since 1.2). The bridge registers one
 * {@link io.websocksy.api.admin.BridgeAdmin} service; the Gogo commands of the shell bundle are a
 * client of it, and so may be any other management front end.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.websocksy.api.admin;
