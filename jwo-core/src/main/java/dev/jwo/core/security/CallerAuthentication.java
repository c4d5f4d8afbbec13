package dev.jwo.core.security;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * How the store's gRPC server authenticates callers: bearer tokens checked by a {@link TokenVerifier}, client
 * certificates verified against a CA file (see {@link CertificateCallers}; needs TLS), or both. There is no way
 * to serve without authentication: the server refuses to start unless one is configured.
 *
 * @param tokens verifies bearer tokens; null to accept client certificates only
 * @param clientCa PEM file of the CA(s) that sign client certificates; null to accept tokens only
 */
public record CallerAuthentication(@Nullable TokenVerifier tokens, @Nullable Path clientCa) {
  public CallerAuthentication {
    if (tokens == null && clientCa == null) {
      throw new IllegalArgumentException("callers need a way to authenticate: a token verifier, a client CA, or both");
    }
  }

  /** Bearer tokens only. */
  public static CallerAuthentication tokens(TokenVerifier verifier) {
    return new CallerAuthentication(verifier, null);
  }

  /** The same, also accepting client certificates signed by the CA(s) in {@code caFile}. */
  public CallerAuthentication withClientCa(Path caFile) {
    return new CallerAuthentication(tokens, caFile);
  }
}
