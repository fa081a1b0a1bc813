/**
 * Transport security and access tokens shared by the heap server, the gateway, the devices and the CLI.
 *
 * <ul>
 *   <li>{@link org.vheap.security.ClientTls}: a client's choice of plaintext or TLS (trust roots from a PEM
 *       file, or the system's), as gRPC channel credentials;</li>
 *   <li>{@link org.vheap.security.ServerTls}: a server's PEM certificate chain and private key, checked to
 *       be readable and to belong together, as gRPC server credentials;</li>
 *   <li>{@link org.vheap.security.ServerTlsSource}: where a server's pair comes from ({@code --tls-cert} and
 *       {@code --tls-key}, or {@code --tls-self-signed DIR}), and {@link org.vheap.security.ServerTlsOptions},
 *       those options as a picocli mixin of the heap server's and the gateway's commands (picocli is an
 *       optional dependency of this module);</li>
 *   <li>{@link org.vheap.security.SelfSignedTls}: a self-signed pair for {@code localhost}/{@code 127.0.0.1}
 *       (tests and demos), written once into a directory and reused;</li>
 *   <li>{@link org.vheap.security.BearerToken}: the {@code authorization: Bearer} header a client sends;</li>
 *   <li>{@link org.vheap.security.AccessTokens}: making, hashing, comparing and storing tokens;</li>
 *   <li>{@link org.vheap.security.PrivateFiles}: directories (700) and key and token files (600) private to
 *       the user, whatever the umask, and taking group and other permissions away from a tree.</li>
 * </ul>
 *
 * <p>Errors in files and options are {@link java.lang.IllegalArgumentException}s with a one-line message
 * naming the file (never its content: keys and tokens are never logged or printed by these classes).
 */
package org.vheap.security;
