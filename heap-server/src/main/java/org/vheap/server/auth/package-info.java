/**
 * Who may call what on a heap server: per-app access tokens, per-device tokens for devices' control streams
 * and the admin token ({@link org.vheap.server.auth.AccessPolicy}). Tokens travel as {@code authorization: Bearer <token>} metadata
 * (see {@link org.vheap.security.BearerToken}); the server stores only their SHA-256 and compares in
 * constant time. Enforcement is switched on by {@code --require-tokens}; without it every call is allowed,
 * but apps still get a token when they are created, so enforcement can be switched on later.
 */
package org.vheap.server.auth;
