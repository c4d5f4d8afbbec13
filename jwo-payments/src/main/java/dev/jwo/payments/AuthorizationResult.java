package dev.jwo.payments;

import dev.jwo.core.Money;
import java.util.Objects;

/** The processor's answer to an authorization: approved with an id and the amount held, or declined with why. */
public record AuthorizationResult(boolean approved, String authorizationId, Money amount, String declineReason) {
  public AuthorizationResult {
    Objects.requireNonNull(authorizationId, "authorizationId");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(declineReason, "declineReason");
  }

  public static AuthorizationResult approved(String authorizationId, Money amount) {
    return new AuthorizationResult(true, authorizationId, amount, "");
  }

  public static AuthorizationResult declined(Money amount, String reason) {
    return new AuthorizationResult(false, "", amount, reason);
  }
}
