package dev.jwo.core.security;

import dev.jwo.core.Credential;
import io.grpc.Context;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Who makes the current call, as authenticated by the store's gRPC server: a role, a subject (the token's or the
 * client certificate's name for the caller, e.g. {@code gate-gw-1} or {@code alice}) and, for a shopper's app, the
 * credential of the party it acts for. {@link #toString()} never shows the credential.
 *
 * @param role what the caller is
 * @param subject who the caller is, printable, never a credential
 * @param party the credential of the shopper's party a {@link Role#SHOPPER_APP} acts for; null for other roles
 */
public record Caller(Role role, String subject, @Nullable Credential party) {
  private static final Context.Key<Caller> KEY = Context.key("jwo-caller");

  public Caller {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(subject, "subject");
    if (subject.isBlank() || subject.length() > 128 || !subject.chars().allMatch(c -> c >= 0x21 && c < 0x7f)) {
      throw new IllegalArgumentException("a caller's subject must be 1-128 printable characters without spaces");
    }
    if ((role == Role.SHOPPER_APP) != (party != null)) {
      throw new IllegalArgumentException(role == Role.SHOPPER_APP
          ? "a shopper-app caller must name the credential of its party"
          : "only a shopper-app caller acts for a party");
    }
  }

  /** The caller of the gRPC call being served on this thread, if the server authenticated one. */
  public static Optional<Caller> current() {
    return Optional.ofNullable(KEY.get());
  }

  /** A context in which {@link #current()} is this caller. */
  public Context attachTo(Context context) {
    return context.withValue(KEY, this);
  }

  /** {@code role/subject}, e.g. {@code compliance-officer/alice}: what audit records name the caller by. */
  public String identity() {
    return role.wireName() + "/" + subject;
  }

  @Override
  public String toString() {
    return identity();
  }
}
