package dev.jwo.cart.grpc;

import dev.jwo.cart.ledger.Cart;
import dev.jwo.cart.ledger.CartLedger;
import dev.jwo.core.Credential;
import dev.jwo.core.VisitId;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.VisitListener;
import io.grpc.stub.ServerCallStreamObserver;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * The live cart watches. Every cart change is offered to the visit's watchers; a watcher sends the latest cart
 * whenever its client can take it, so a slow client skips intermediate states instead of piling them up. When
 * the visit is settled, each watcher sends the final cart and ends the stream.
 */
@Singleton
public final class CartWatchers implements VisitListener {
  private final CartLedger ledger;
  private final Map<VisitId, List<Watcher>> watchers = new ConcurrentHashMap<>();
  private final Set<VisitId> expected = ConcurrentHashMap.newKeySet();
  private final Map<VisitId, Credential> parties = new ConcurrentHashMap<>();
  private final Set<VisitId> settled = ConcurrentHashMap.newKeySet();

  @Inject
  public CartWatchers(CartLedger ledger) {
    this.ledger = ledger;
    ledger.addListener(cart -> offer(cart, false));
  }

  /** A visit admitted over gRPC by {@code credential} that the pipeline has not processed yet may already be watched. */
  void expect(VisitId visit, Credential credential) {
    parties.put(visit, credential);
    expected.add(visit);
  }

  /** The credential that admitted {@code visit}'s party, whose cart it is, if the visit is known. */
  Optional<Credential> party(VisitId visit) {
    return Optional.ofNullable(parties.get(visit));
  }

  boolean isKnown(VisitId visit) {
    return expected.contains(visit) || ledger.cart(visit).isPresent();
  }

  boolean isSettled(VisitId visit) {
    return settled.contains(visit);
  }

  void watch(VisitId visit, ServerCallStreamObserver<dev.jwo.cart.v1.Cart> observer) {
    Watcher watcher = new Watcher(visit, observer);
    watchers.computeIfAbsent(visit, v -> new CopyOnWriteArrayList<>()).add(watcher);
    observer.setOnCancelHandler(() -> remove(watcher));
    observer.setOnReadyHandler(watcher::drain);
    ledger.cart(visit).ifPresent(cart -> watcher.offer(cart, settled.contains(visit)));
  }

  @Override
  public void visitStarted(Admission admission) {
    parties.put(admission.visitId(), admission.credential());
    offer(ledger.open(admission.visitId()), false);
  }

  @Override
  public void visitEnded(Admission admission, long exitTs) {
    VisitId visit = admission.visitId();
    settled.add(visit);
    expected.remove(visit);
    ledger.cart(visit).ifPresent(cart -> offer(cart, true));
  }

  private void offer(Cart cart, boolean isFinal) {
    List<Watcher> list = watchers.get(cart.visitId());
    if (list != null) {
      for (Watcher watcher : list) {
        watcher.offer(cart, isFinal);
      }
    }
  }

  private void remove(Watcher watcher) {
    List<Watcher> list = watchers.get(watcher.visit);
    if (list != null) {
      list.remove(watcher);
    }
  }

  private final class Watcher {
    final VisitId visit;
    final ServerCallStreamObserver<dev.jwo.cart.v1.Cart> observer;
    @Nullable Cart latest;
    boolean latestIsFinal;
    boolean dirty;
    boolean done;

    Watcher(VisitId visit, ServerCallStreamObserver<dev.jwo.cart.v1.Cart> observer) {
      this.visit = visit;
      this.observer = observer;
    }

    synchronized void offer(Cart cart, boolean isFinal) {
      if (done || (latest != null && cart.version() < latest.version())) {
        return;
      }
      latest = cart;
      latestIsFinal = latestIsFinal || isFinal;
      dirty = true;
      drain();
    }

    synchronized void drain() {
      if (done || !dirty || latest == null || observer.isCancelled() || !observer.isReady()) {
        return;
      }
      dirty = false;
      observer.onNext(CartProtos.toProto(latest, latestIsFinal));
      if (latestIsFinal) {
        done = true;
        observer.onCompleted();
        remove(this);
      }
    }
  }
}
