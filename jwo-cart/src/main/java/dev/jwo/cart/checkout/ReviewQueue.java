package dev.jwo.cart.checkout;

import dev.jwo.core.VisitId;
import dev.jwo.core.visit.VisitOutcome;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Visits held for a person to check before charging, in the order they were held. Thread-safe. */
@Singleton
public final class ReviewQueue {
  private final Map<VisitId, VisitOutcome> pending = new LinkedHashMap<>();

  synchronized void hold(VisitOutcome outcome) {
    pending.put(outcome.admission().visitId(), outcome);
  }

  public synchronized List<VisitOutcome> pending() {
    return new ArrayList<>(pending.values());
  }

  public synchronized Optional<VisitOutcome> get(VisitId visit) {
    return Optional.ofNullable(pending.get(visit));
  }

  public synchronized int size() {
    return pending.size();
  }
}
