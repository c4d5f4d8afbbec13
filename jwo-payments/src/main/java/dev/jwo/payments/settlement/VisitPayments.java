package dev.jwo.payments.settlement;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.jwo.core.Money;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.pipeline.PipelineStage;
import dev.jwo.core.pipeline.SensorEventHandler;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.VisitOutcome;
import dev.jwo.core.visit.VisitSettlement;
import dev.jwo.payments.AuthorizationRequest;
import dev.jwo.payments.AuthorizationResult;
import dev.jwo.payments.CaptureRequest;
import dev.jwo.payments.CaptureResult;
import dev.jwo.payments.PaymentException;
import dev.jwo.payments.PaymentProvider;
import dev.jwo.payments.PaymentSettings;
import dev.jwo.payments.Receipt;
import dev.jwo.payments.ReceiptBook;
import dev.jwo.payments.v1.PaymentState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pays for visits. At entry it places a hold on the credential's card; when the cart settles a visit it captures
 * the total (or releases the hold for an empty cart), and records the receipt. A visit held for review keeps its
 * hold. Payment work runs on one worker thread, in the order the pipeline asked for it, so the pipeline never
 * waits for a processor; a call that times out is retried with the same idempotency key, and a visit whose
 * payment cannot be completed is recorded for review.
 *
 * <p>Before each provider call the visit's payment state is written to the {@code payments} table; a server that
 * restarts and replays its input finds the state and repeats calls with the same keys rather than making new
 * ones.
 */
@Singleton
public final class VisitPayments implements VisitSettlement, SensorEventHandler, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VisitPayments.class);
  static final String TABLE = "payments";

  private final StoreLayout layout;
  private final PaymentProvider provider;
  private final PaymentSettings settings;
  private final ReceiptBook receipts;
  private final KeyedTable states;
  private final MeterRegistry registry;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(daemon("jwo-payments"));
  private final ExecutorService calls = Executors.newCachedThreadPool(daemon("jwo-payment-call"));
  private final List<Future<?>> inFlight = new ArrayList<>();

  @Inject
  public VisitPayments(
      StoreLayout layout,
      PaymentProvider provider,
      PaymentSettings settings,
      ReceiptBook receipts,
      StoreStorage storage,
      MeterRegistry registry) {
    this.layout = layout;
    this.provider = provider;
    this.settings = settings;
    this.receipts = receipts;
    this.states = storage.table(TABLE);
    this.registry = registry;
  }

  @Override
  public PipelineStage stage() {
    return PipelineStage.SESSIONS;
  }

  /** Every visit's payment state is kept in storage. */
  @Override
  public long needsInputSince(long ts) {
    return ts;
  }

  @Override
  public void onEvent(SensorEvent event) {
    if (event instanceof EntryEvent entry) {
      Admission admission = Admission.from(entry);
      submit(() -> preAuthorize(admission));
    }
  }

  @Override
  public void settle(VisitOutcome outcome) {
    submit(() -> complete(outcome));
  }

  /**
   * Waits until every payment asked for so far is done.
   *
   * @return whether they finished within {@code timeout}
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Future<?>> pending;
    synchronized (inFlight) {
      pending = new ArrayList<>(inFlight);
    }
    for (Future<?> f : pending) {
      try {
        f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        log.error("a payment task failed", e.getCause());
      } catch (TimeoutException e) {
        return false;
      }
    }
    synchronized (inFlight) {
      inFlight.removeIf(Future::isDone);
    }
    return true;
  }

  @Override
  public void close() {
    worker.shutdown();
    calls.shutdownNow();
  }

  private void submit(Runnable task) {
    Future<?> future = worker.submit(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.error("payment task failed; the visit's payment state is kept for a retry", e);
      }
    });
    synchronized (inFlight) {
      inFlight.removeIf(Future::isDone);
      inFlight.add(future);
    }
  }

  private void preAuthorize(Admission admission) {
    String visit = admission.visitId().value();
    PaymentState state = state(visit).orElse(null);
    if (state != null) {
      return;
    }
    save(PaymentState.newBuilder().setVisitId(visit).setStage("AUTHORIZING").build());
    Money hold = new Money(settings.preAuthorizationMinor(), layout.currency());
    try {
      AuthorizationResult result = call("authorize",
          () -> provider.authorize(new AuthorizationRequest(visit + "/authorize", admission.credential(), hold)));
      save(result.approved()
          ? PaymentState.newBuilder().setVisitId(visit).setStage("AUTHORIZED")
              .setAuthorizationId(result.authorizationId()).setAuthorizedMinor(result.amount().minor()).build()
          : PaymentState.newBuilder().setVisitId(visit).setStage("DECLINED")
              .setFailure("pre-authorization declined: " + result.declineReason()).build());
      registry.counter("jwo.payments.authorizations", "outcome", result.approved() ? "approved" : "declined")
          .increment();
    } catch (PaymentException e) {
      save(PaymentState.newBuilder().setVisitId(visit).setStage("UNAUTHORIZED")
          .setFailure("pre-authorization failed: " + e.getMessage()).build());
      registry.counter("jwo.payments.authorizations", "outcome", "failed").increment();
    }
  }

  private void complete(VisitOutcome outcome) {
    String visit = outcome.admission().visitId().value();
    Optional<Receipt> existing = receipts.receipt(outcome.admission().visitId());
    if (existing.isPresent() && existing.get().status() == ReceiptStatus.CHARGED) {
      return;
    }
    Money total = outcome.total(Money.zero(layout.currency()));
    List<String> reasons = new ArrayList<>(outcome.reasons());
    ReceiptStatus status = outcome.decision();
    String reference = "";
    if (status == ReceiptStatus.CHARGED) {
      try {
        reference = charge(outcome, total);
      } catch (PaymentException e) {
        status = ReceiptStatus.REVIEW;
        reasons.add("the payment could not be completed: " + e.getMessage());
        registry.counter("jwo.payments.captures", "outcome", "failed").increment();
      }
    }
    receipts.record(new Receipt(
        outcome.admission().visitId(),
        outcome.admission().credential(),
        status,
        outcome.items(),
        total,
        outcome.exitTs(),
        outcome.decidedTs(),
        reasons,
        reference));
    log.debug("visit {} settled as {}", visit, status);
  }

  /** Charges {@code total} for a visit, reusing its hold where it covers the total; returns the capture id. */
  private String charge(VisitOutcome outcome, Money total) {
    String visit = outcome.admission().visitId().value();
    PaymentState state = state(visit).orElse(PaymentState.newBuilder().setVisitId(visit).build());
    if (state.getStage().equals("CAPTURED")) {
      return state.getCaptureId();
    }
    boolean held = state.getStage().equals("AUTHORIZED") || state.getStage().equals("CAPTURE_REQUESTED");
    if (total.isZero()) {
      if (held) {
        String authorization = state.getAuthorizationId();
        call("release", () -> {
          provider.release(visit + "/release", authorization);
          return Boolean.TRUE;
        });
      }
      save(state.toBuilder().setStage("RELEASED").build());
      registry.counter("jwo.payments.captures", "outcome", "nothing_to_charge").increment();
      return "";
    }
    String authorizationId = state.getAuthorizationId();
    if (!held || state.getAuthorizedMinor() < total.minor()) {
      AuthorizationResult result = call("authorize", () -> provider.authorize(
          new AuthorizationRequest(visit + "/authorize-total", outcome.admission().credential(), total)));
      if (!result.approved()) {
        save(state.toBuilder().setStage("DECLINED").setFailure(result.declineReason()).build());
        throw new PaymentException("the card was declined: " + result.declineReason(), false);
      }
      if (held) {
        String previous = state.getAuthorizationId();
        call("release", () -> {
          provider.release(visit + "/release-hold", previous);
          return Boolean.TRUE;
        });
      }
      authorizationId = result.authorizationId();
      state = state.toBuilder().setStage("AUTHORIZED").setAuthorizationId(authorizationId)
          .setAuthorizedMinor(result.amount().minor()).build();
    }
    save(state.toBuilder().setStage("CAPTURE_REQUESTED").setCapturedMinor(total.minor()).build());
    String authorization = authorizationId;
    CaptureResult capture = call("capture",
        () -> provider.capture(new CaptureRequest(visit + "/capture", authorization, total)));
    save(state.toBuilder().setStage("CAPTURED").setCapturedMinor(capture.amount().minor())
        .setCaptureId(capture.captureId()).build());
    registry.counter("jwo.payments.captures", "outcome", "captured").increment();
    return capture.captureId();
  }

  /** Calls the provider with a time limit, retrying retriable failures with backoff. */
  private <T> T call(String what, Callable<T> call) {
    Timer timer = registry.timer("jwo.payments.calls", "call", what);
    Duration backoff = settings.retryBackoff();
    for (int attempt = 1; ; attempt++) {
      Future<T> future = calls.submit(call);
      long start = System.nanoTime();
      try {
        return future.get(settings.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        future.cancel(true);
        if (attempt >= settings.maxAttempts()) {
          throw new PaymentException(what + " timed out " + attempt + " times (limit "
              + settings.callTimeout().toMillis() + " ms each)", true, e);
        }
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (!(cause instanceof PaymentException p) || !p.isRetriable() || attempt >= settings.maxAttempts()) {
          if (cause instanceof PaymentException p) {
            throw p;
          }
          throw new PaymentException(what + " failed: " + cause, false, cause);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PaymentException(what + " was interrupted", true, e);
      } finally {
        timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      }
      registry.counter("jwo.payments.retries", "call", what).increment();
      try {
        Thread.sleep(backoff.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PaymentException(what + " was interrupted", true, e);
      }
      backoff = backoff.multipliedBy(2);
    }
  }

  private Optional<PaymentState> state(String visit) {
    return states.get(visit).map(v -> {
      try {
        return PaymentState.parseFrom(v.value());
      } catch (InvalidProtocolBufferException e) {
        throw new PaymentException("payment state of visit " + visit + " cannot be read", false, e);
      }
    });
  }

  private void save(PaymentState state) {
    states.put(state.getVisitId(), state.toByteArray(), KeyedTable.ANY_VERSION);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
