package dev.jwo.cart.checkout;

import dev.jwo.cart.ledger.Cart;
import dev.jwo.cart.ledger.CartLedger;
import dev.jwo.cart.ledger.CartLine;
import dev.jwo.cart.session.Session;
import dev.jwo.cart.session.SessionRegistry;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.pipeline.PipelineStage;
import dev.jwo.core.pipeline.SensorEventHandler;
import dev.jwo.core.visit.LineItem;
import dev.jwo.core.visit.VisitOutcome;
import dev.jwo.core.visit.VisitSettlement;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks out ended visits once the grace period after the last exit has passed: a visit whose cart and session
 * hold no doubt is charged; any doubt holds it for review, with the reasons. When a replay ends, visits still in
 * the store are reported open.
 */
@Singleton
public final class CheckoutStage implements SensorEventHandler {
  private final SessionRegistry sessions;
  private final CartLedger ledger;
  private final VisitSettlement settlement;
  private final ReviewQueue reviews;
  private final CheckoutSettings settings;
  private final MeterRegistry registry;

  @Inject
  public CheckoutStage(
      SessionRegistry sessions,
      CartLedger ledger,
      VisitSettlement settlement,
      ReviewQueue reviews,
      CheckoutSettings settings,
      MeterRegistry registry) {
    this.sessions = sessions;
    this.ledger = ledger;
    this.settlement = settlement;
    this.reviews = reviews;
    this.settings = settings;
    this.registry = registry;
  }

  @Override
  public PipelineStage stage() {
    return PipelineStage.CHECKOUT;
  }

  @Override
  public void onEvent(SensorEvent event) {}

  /** Holds nothing of its own: which visits to settle comes from the sessions. */
  @Override
  public long needsInputSince(long ts) {
    return ts;
  }

  @Override
  public void onTimeAdvanced(long ts) {
    for (Session session : sessions.endedBy(ts - settings.graceMillis())) {
      settle(session, ts);
    }
  }

  @Override
  public void onEndOfStream(long ts) {
    for (Session session : sessions.endedBy(Long.MAX_VALUE)) {
      settle(session, ts);
    }
    for (Session session : sessions.inStore()) {
      Cart cart = ledger.open(session.admission().visitId());
      settlement.settle(new VisitOutcome(
          session.admission(), ReceiptStatus.OPEN, items(cart), null, ts, List.of("the visit had not ended")));
      registry.counter("jwo.checkout.visits", "decision", "open").increment();
    }
  }

  private void settle(Session session, long ts) {
    Cart cart = ledger.open(session.admission().visitId());
    List<String> doubts = new ArrayList<>(session.doubts());
    doubts.addAll(cart.doubts());
    ReceiptStatus decision = doubts.isEmpty() ? ReceiptStatus.CHARGED : ReceiptStatus.REVIEW;
    VisitOutcome outcome = new VisitOutcome(session.admission(), decision, items(cart), session.exitTs(), ts, doubts);
    if (decision == ReceiptStatus.REVIEW) {
      reviews.hold(outcome);
    }
    settlement.settle(outcome);
    sessions.markSettled(session.admission().visitId());
    registry.counter("jwo.checkout.visits", "decision", decision.name().toLowerCase(Locale.ROOT)).increment();
  }

  private static List<LineItem> items(Cart cart) {
    List<LineItem> items = new ArrayList<>();
    for (CartLine line : cart.lines()) {
      items.add(new LineItem(line.sku(), line.quantity(), line.unitPrice()));
    }
    return items;
  }
}
