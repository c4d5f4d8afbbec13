package dev.jwo.testing.payments;

import dev.jwo.payments.AuthorizationRequest;
import dev.jwo.payments.AuthorizationResult;
import dev.jwo.payments.CaptureRequest;
import dev.jwo.payments.CaptureResult;
import dev.jwo.payments.IncrementRequest;
import dev.jwo.payments.PaymentException;
import dev.jwo.payments.PaymentProvider;
import dev.jwo.payments.RefundRequest;
import dev.jwo.payments.RefundResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fake {@link PaymentProvider} for tests: approves every card except those whose token starts with
 * {@code "decline"}, keeps every call, and can be told to time out the next calls (throwing a retriable
 * {@link PaymentException}) to exercise retries.
 */
public final class RecordingPaymentProvider implements PaymentProvider {
  private final Map<String, Object> answers = new HashMap<>();
  private final Map<String, long[]> authorizations = new HashMap<>();
  private final List<String> calls = new ArrayList<>();
  private final List<CaptureRequest> captures = new ArrayList<>();
  private final Map<String, long[]> captured = new HashMap<>();
  private int failNext;
  private int sequence;

  /** Makes the next {@code count} calls fail as if the processor had timed out. */
  public synchronized void failNext(int count) {
    failNext = count;
  }

  /**
   * Every call, as {@code "authorize <key>"}, {@code "increment <key>"}, {@code "capture <key>"},
   * {@code "release <key>"} or {@code "refund <key>"}.
   */
  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  /** The captures that charged (repeats by key are not counted). */
  public synchronized List<CaptureRequest> captures() {
    return List.copyOf(captures);
  }

  @Override
  public synchronized AuthorizationResult authorize(AuthorizationRequest request) {
    record("authorize " + request.idempotencyKey());
    Object previous = answers.get(request.idempotencyKey());
    if (previous instanceof AuthorizationResult result) {
      return result;
    }
    AuthorizationResult result;
    if (request.credential().reveal().startsWith("decline")) {
      result = AuthorizationResult.declined(request.amount(), "declined by the recording fake");
    } else {
      String id = "rec-auth-" + ++sequence;
      authorizations.put(id, new long[] {request.amount().minor(), 0});
      result = AuthorizationResult.approved(id, request.amount());
    }
    answers.put(request.idempotencyKey(), result);
    return result;
  }

  @Override
  public synchronized CaptureResult capture(CaptureRequest request) {
    record("capture " + request.idempotencyKey());
    Object previous = answers.get(request.idempotencyKey());
    if (previous instanceof CaptureResult result) {
      return result;
    }
    long[] authorization = authorizations.get(request.authorizationId());
    if (authorization == null) {
      throw new PaymentException("unknown authorization " + request.authorizationId(), false);
    }
    if (authorization[1] != 0) {
      throw new PaymentException("authorization " + request.authorizationId() + " is no longer open", false);
    }
    if (request.amount().minor() > authorization[0]) {
      throw new PaymentException("capture exceeds the authorization", false);
    }
    authorization[1] = 1;
    CaptureResult result = new CaptureResult("rec-cap-" + ++sequence, request.amount());
    captured.put(result.captureId(), new long[] {request.amount().minor(), 0});
    captures.add(request);
    answers.put(request.idempotencyKey(), result);
    return result;
  }

  @Override
  public synchronized AuthorizationResult incrementAuthorization(IncrementRequest request) {
    record("increment " + request.idempotencyKey());
    Object previous = answers.get(request.idempotencyKey());
    if (previous instanceof Increment increment) {
      return increment.result();
    }
    long[] authorization = authorizations.get(request.authorizationId());
    if (authorization == null || authorization[1] != 0) {
      throw new PaymentException("authorization " + request.authorizationId() + " is unknown or closed", false);
    }
    authorization[0] += request.additional().minor();
    AuthorizationResult result = AuthorizationResult.approved(
        request.authorizationId(), new dev.jwo.core.Money(authorization[0], request.additional().currency()));
    answers.put(request.idempotencyKey(), new Increment(result));
    return result;
  }

  @Override
  public synchronized RefundResult refund(RefundRequest request) {
    record("refund " + request.idempotencyKey());
    Object previous = answers.get(request.idempotencyKey());
    if (previous instanceof RefundResult result) {
      return result;
    }
    long[] capture = captured.get(request.captureId());
    if (capture == null) {
      throw new PaymentException("unknown capture " + request.captureId(), false);
    }
    if (capture[1] + request.amount().minor() > capture[0]) {
      throw new PaymentException("refund exceeds what is left of the capture", false);
    }
    capture[1] += request.amount().minor();
    RefundResult result = new RefundResult("rec-ref-" + ++sequence, request.amount());
    answers.put(request.idempotencyKey(), result);
    return result;
  }

  @Override
  public synchronized void release(String idempotencyKey, String authorizationId) {
    record("release " + idempotencyKey);
    long[] authorization = authorizations.get(authorizationId);
    if (authorization != null && authorization[1] == 0) {
      authorization[1] = 2;
    }
  }

  private void record(String call) {
    calls.add(call);
    if (failNext > 0) {
      failNext--;
      throw new PaymentException("timed out (simulated by the recording fake)", true);
    }
  }

  private record Increment(AuthorizationResult result) {}
}
