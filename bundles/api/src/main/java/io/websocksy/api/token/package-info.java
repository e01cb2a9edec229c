/**
 * Helpers for backends that route by a token the client presents (token files, Redis, signed tokens):
 * where the token is read from ({@link io.websocksy.api.token.TokenSource}), the short hash logged in
 * its place, and the route built from a looked-up target ({@link io.websocksy.api.token.TokenRoutes}).
 * One implementation for every such backend, so all of them read {@code token = ...} the same way.
 *
 * @since API 1.2
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.websocksy.api.token;
