package dev.jwo.payments.simulated;

import dev.jwo.core.Credential;
import dev.jwo.core.Money;
import dev.jwo.payments.AuthorizationRequest;
import dev.jwo.payments.AuthorizationResult;
import dev.jwo.payments.CaptureRequest;
import dev.jwo.payments.CaptureResult;
import dev.jwo.payments.IncrementRequest;
import dev.jwo.payments.PaymentException;
import dev.jwo.payments.PaymentProvider;
import dev.jwo.payments.RefundRequest;
import dev.jwo.payments.RefundResult;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Behaves like a card processor, in memory. Authorizations hold an amount and may be raised while open; a capture
 * charges at most the held amount, once per authorization; a release voids the hold; refunds give back at most
 * what a capture charged. Every call is idempotent by key: a repeat returns the first answer. Credentials whose
 * text starts with {@code "decline"} are declined, like a test card, and increments of credentials starting with
 * {@code "limit"} are declined. Thread-safe. It keeps its own {@linkplain #ledger() ledger} of every operation it
 * performed, so that tests can judge what was charged.
 */
@Singleton
public final class SimulatedCardProcessor implements PaymentProvider {
  /** What the processor did. */
  public enum Operation { AUTHORIZE, INCREMENT, CAPTURE, VOID, REFUND }

  /**
   * One operation the processor performed (repeats by key are not operations).
   *
   * @param reference the authorization id (authorize, increment, void), capture id or refund id
   * @param authorizationId the authorization the operation belongs to
   */
  public record LedgerEntry(
      Operation operation, String idempotencyKey, Credential credential, String authorizationId, String reference,
      Money amount) {
    public LedgerEntry {
      Objects.requireNonNull(operation, "operation");
      Objects.requireNonNull(idempotencyKey, "idempotencyKey");
      Objects.requireNonNull(credential, "credential");
      Objects.requireNonNull(authorizationId, "authorizationId");
      Objects.requireNonNull(reference, "reference");
      Objects.requireNonNull(amount, "amount");
    }
  }

  private final Map<String, Object> answers = new HashMap<>();
  private final Map<String, Hold> holds = new HashMap<>();
  private final Map<String, Hold> byCapture = new HashMap<>();
  private final List<LedgerEntry> ledger = new ArrayList<>();
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
      holds.put(id, new Hold(id, request.credential(), request.amount()));
      ledger.add(new LedgerEntry(
          Operation.AUTHORIZE, request.idempotencyKey(), request.credential(), id, id, request.amount()));
      result = AuthorizationResult.approved(id, request.amount());
    }
    answers.put(request.idempotencyKey(), result);
    return result;
  }

  @Override
  public synchronized AuthorizationResult incrementAuthorization(IncrementRequest request) {
    count(request.idempotencyKey());
    Object answer = answers.get(request.idempotencyKey());
    if (answer instanceof IncrementAnswer previous) {
      return previous.result;
    }
    requireUnused(request.idempotencyKey(), answer);
    Hold hold = open(request.authorizationId());
    AuthorizationResult result;
    if (hold.credential.reveal().toLowerCase(Locale.ROOT).startsWith("limit")) {
      result = AuthorizationResult.declined(hold.amount, "increment declined: over the card's limit (simulated)");
    } else {
      hold.amount = hold.amount.plus(request.additional());
      ledger.add(new LedgerEntry(Operation.INCREMENT, request.idempotencyKey(), hold.credential, hold.id, hold.id,
          request.additional()));
      result = AuthorizationResult.approved(hold.id, hold.amount);
    }
    answers.put(request.idempotencyKey(), new IncrementAnswer(result));
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
    Hold hold = open(request.authorizationId());
    if (request.amount().compareTo(hold.amount) > 0) {
      throw new PaymentException("capture of " + request.amount() + " exceeds the authorized " + hold.amount, false);
    }
    hold.captured = request.amount();
    CaptureResult result = new CaptureResult("cap-" + next++, request.amount());
    byCapture.put(result.captureId(), hold);
    ledger.add(new LedgerEntry(Operation.CAPTURE, request.idempotencyKey(), hold.credential, hold.id,
        result.captureId(), request.amount()));
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
    if (hold != null && hold.captured == null && !hold.released) {
      hold.released = true;
      ledger.add(new LedgerEntry(Operation.VOID, idempotencyKey, hold.credential, hold.id, hold.id, hold.amount));
    }
    answers.put(idempotencyKey, true);
  }

  @Override
  public synchronized RefundResult refund(RefundRequest request) {
    count(request.idempotencyKey());
    Object answer = answers.get(request.idempotencyKey());
    if (answer instanceof RefundResult previous) {
      return previous;
    }
    requireUnused(request.idempotencyKey(), answer);
    Hold hold = byCapture.get(request.captureId());
    if (hold == null || hold.captured == null) {
      throw new PaymentException("no capture '" + request.captureId() + "'", false);
    }
    Money left = hold.captured.minus(hold.refunded);
    if (request.amount().compareTo(left) > 0) {
      throw new PaymentException("refund of " + request.amount() + " exceeds the " + left + " left of capture '"
          + request.captureId() + "'", false);
    }
    hold.refunded = hold.refunded.plus(request.amount());
    RefundResult result = new RefundResult("ref-" + next++, request.amount());
    ledger.add(new LedgerEntry(Operation.REFUND, request.idempotencyKey(), hold.credential, hold.id,
        result.refundId(), request.amount()));
    answers.put(request.idempotencyKey(), result);
    return result;
  }

  /** Every operation performed, in order. */
  public synchronized List<LedgerEntry> ledger() {
    return List.copyOf(ledger);
  }

  /** The ids of the authorizations still open: placed, and neither captured nor voided. */
  public synchronized List<String> openAuthorizations() {
    return holds.values().stream().filter(h -> h.captured == null && !h.released).map(h -> h.id).sorted().toList();
  }

  /** Every capture made (repeats by key are not captures), in order. */
  public synchronized List<CaptureResult> captures() {
    return ledger.stream().filter(e -> e.operation() == Operation.CAPTURE)
        .map(e -> new CaptureResult(e.reference(), e.amount())).toList();
  }

  /** How many calls carried this idempotency key. */
  public synchronized int callsWithKey(String idempotencyKey) {
    return calls.getOrDefault(idempotencyKey, 0);
  }

  private Hold open(String authorizationId) {
    Hold hold = holds.get(authorizationId);
    if (hold == null) {
      throw new PaymentException("no authorization '" + authorizationId + "'", false);
    }
    if (hold.captured != null || hold.released) {
      throw new PaymentException("authorization '" + authorizationId + "' was already "
          + (hold.captured != null ? "captured" : "released"), false);
    }
    return hold;
  }

  private void count(String key) {
    calls.merge(key, 1, Integer::sum);
  }

  private static void requireUnused(String key, @Nullable Object previous) {
    if (previous != null) {
      throw new PaymentException("idempotency key '" + key + "' was already used for another kind of call", false);
    }
  }

  private record IncrementAnswer(AuthorizationResult result) {}

  private static final class Hold {
    final String id;
    final Credential credential;
    Money amount;
    @Nullable Money captured;
    Money refunded;
    boolean released;

    Hold(String id, Credential credential, Money amount) {
      this.id = id;
      this.credential = credential;
      this.amount = amount;
      this.refunded = Money.zero(amount.currency());
    }
  }
}
