package dev.jwo.payments.simulated;

import dev.jwo.core.Money;
import dev.jwo.payments.AuthorizationRequest;
import dev.jwo.payments.AuthorizationResult;
import dev.jwo.payments.CaptureRequest;
import dev.jwo.payments.CaptureResult;
import dev.jwo.payments.PaymentException;
import dev.jwo.payments.PaymentProvider;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Behaves like a card processor, in memory. Authorizations hold an amount; a capture charges at most the held
 * amount, once per authorization; a release frees the hold. Every call is idempotent by key: a repeat returns
 * the first answer. Credentials whose text starts with {@code "decline"} are declined, like a test card.
 * Thread-safe. It keeps a log of captures so that tests can check that nothing was charged twice.
 */
@Singleton
public final class SimulatedCardProcessor implements PaymentProvider {
  private final Map<String, Object> answers = new HashMap<>();
  private final Map<String, Hold> holds = new HashMap<>();
  private final List<CaptureResult> captures = new ArrayList<>();
  private final Map<String, Integer> calls = new HashMap<>();
  private long next = 1;

  @Override
  public synchronized AuthorizationResult authorize(AuthorizationRequest request) {
    count(request.idempotencyKey());
    Object answer = answers.get(request.idempotencyKey());
    if (answer instanceof AuthorizationResult previous) {
      return previous;
    }
    requireUnused(request.idempotencyKey(), answer);
    AuthorizationResult result;
    if (request.credential().reveal().toLowerCase(Locale.ROOT).startsWith("decline")) {
      result = AuthorizationResult.declined(request.amount(), "card declined by issuer (simulated)");
    } else {
      String id = "auth-" + next++;
      holds.put(id, new Hold(request.amount()));
      result = AuthorizationResult.approved(id, request.amount());
    }
    answers.put(request.idempotencyKey(), result);
    return result;
  }

  @Override
  public synchronized CaptureResult capture(CaptureRequest request) {
    count(request.idempotencyKey());
    Object answer = answers.get(request.idempotencyKey());
    if (answer instanceof CaptureResult previous) {
      return previous;
    }
    requireUnused(request.idempotencyKey(), answer);
    Hold hold = holds.get(request.authorizationId());
    if (hold == null) {
      throw new PaymentException("no authorization '" + request.authorizationId() + "'", false);
    }
    if (hold.captured || hold.released) {
      throw new PaymentException("authorization '" + request.authorizationId() + "' was already "
          + (hold.captured ? "captured" : "released"), false);
    }
    if (request.amount().compareTo(hold.amount) > 0) {
      throw new PaymentException("capture of " + request.amount() + " exceeds the authorized " + hold.amount, false);
    }
    hold.captured = true;
    CaptureResult result = new CaptureResult("cap-" + next++, request.amount());
    captures.add(result);
    answers.put(request.idempotencyKey(), result);
    return result;
  }

  @Override
  public synchronized void release(String idempotencyKey, String authorizationId) {
    count(idempotencyKey);
    if (answers.containsKey(idempotencyKey)) {
      return;
    }
    Hold hold = holds.get(authorizationId);
    if (hold != null && !hold.captured) {
      hold.released = true;
    }
    answers.put(idempotencyKey, true);
  }

  /** Every capture made (repeats by key are not captures), in order. */
  public synchronized List<CaptureResult> captures() {
    return List.copyOf(captures);
  }

  /** How many calls carried this idempotency key. */
  public synchronized int callsWithKey(String idempotencyKey) {
    return calls.getOrDefault(idempotencyKey, 0);
  }

  private void count(String key) {
    calls.merge(key, 1, Integer::sum);
  }

  private static void requireUnused(String key, @Nullable Object previous) {
    if (previous != null) {
      throw new PaymentException("idempotency key '" + key + "' was already used for another kind of call", false);
    }
  }

  private static final class Hold {
    final Money amount;
    boolean captured;
    boolean released;

    Hold(Money amount) {
      this.amount = amount;
    }
  }
}
