package dev.jwo.core.security;

import dev.jwo.core.Credential;
import io.grpc.Channel;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Issues one store's bearer tokens from its {@link TokenKey} on the store's clock: what {@code jwo token} does, and
 * what an embedding program or a test harness uses to call a server it started in-process. Thread-safe.
 */
public final class TokenIssuer {
  /** The lifetime of {@link #bearer} tokens. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofHours(12);

  private final TokenKey key;
  private final String storeId;
  private final Clock clock;

  public TokenIssuer(TokenKey key, String storeId, Clock clock) {
    this.key = Objects.requireNonNull(key, "key");
    this.storeId = Objects.requireNonNull(storeId, "storeId");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** An issuer with a fresh random key, e.g. for a server started in-process by a test. */
  public static TokenIssuer withNewKey(String storeId, Clock clock) {
    return new TokenIssuer(TokenKey.generate(), storeId, clock);
  }

  /** A token naming {@code caller}, valid from now for {@code lifetime}. */
  public String issue(Caller caller, Duration lifetime) {
    return key.issue(storeId, caller, clock.instant(), lifetime);
  }

  /** Call credentials for {@code role} (not {@link Role#SHOPPER_APP}) named {@code subject}. */
  public BearerToken bearer(Role role, String subject) {
    return BearerToken.of(issue(new Caller(role, subject, null), DEFAULT_LIFETIME));
  }

  /** Call credentials for a shopper's app acting for the party admitted with {@code party}. */
  public BearerToken shopper(String subject, Credential party) {
    return BearerToken.of(issue(new Caller(Role.SHOPPER_APP, subject, party), DEFAULT_LIFETIME));
  }

  /** {@code channel} with a token for {@code role} on every call, the subject being the role's name. */
  public Channel as(Channel channel, Role role) {
    return bearer(role, role.wireName()).on(channel);
  }

  /** How a server accepts this issuer's tokens. */
  public CallerAuthentication authentication() {
    return CallerAuthentication.tokens(key.verifier(storeId));
  }
}
