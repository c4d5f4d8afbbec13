package dev.jwo.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provider;
import dev.jwo.cart.ShelfStockListener;
import dev.jwo.cart.inject.CartModule;
import dev.jwo.cart.ledger.CartEntry;
import dev.jwo.cart.ledger.CartLedger;
import dev.jwo.cart.ledger.CartLine;
import dev.jwo.core.GateId;
import dev.jwo.payments.incident.IncidentLog;
import dev.jwo.payments.inventory.InventoryBook;
import dev.jwo.payments.restricted.RestrictedItems;
import dev.jwo.vision.inject.VisionModule;
import dev.jwo.vision.linking.UnadmittedEntry;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Connects signals of one module to the store operations of another, which do not depend on each other: the
 * vision module's unadmitted entries become tailgating incidents in the payments module's {@link IncidentLog}, and
 * the cart's changes tell {@link RestrictedItems} what each party has taken, and the shelves' changes move the
 * {@link InventoryBook}.
 */
public final class OperationsModule extends AbstractModule {
  @Override
  protected void configure() {
    VisionModule.unadmittedEntryListeners(binder()).addBinding().to(TailgatingIncidents.class);
    bind(RestrictedItemsTaken.class).asEagerSingleton();
    CartModule.shelfStockListeners(binder()).addBinding().to(InventoryChanges.class);
  }

  /** Moves the live inventory with every change the shelves make. */
  static final class InventoryChanges implements ShelfStockListener {
    private final Provider<InventoryBook> inventory;

    @Inject
    InventoryChanges(Provider<InventoryBook> inventory) {
      this.inventory = inventory;
    }

    @Override
    public void stockChanged(Change change) {
      inventory.get().shelfChanged(change.bin(), change.sku(), change.delta(), change.ts());
    }
  }

  /** Tells {@link RestrictedItems} of every cart change, so that taking a restricted item raises its staff check. */
  static final class RestrictedItemsTaken {
    @Inject
    RestrictedItemsTaken(CartLedger carts, RestrictedItems items) {
      carts.addListener(cart -> {
        List<CartEntry> ledger = carts.ledger(cart.visitId());
        long ts = ledger.isEmpty() ? 0 : ledger.get(ledger.size() - 1).ts();
        items.taken(cart.visitId(), cart.lines().stream().map(CartLine::sku).toList(), ts);
      });
    }
  }

  /**
   * Records each unadmitted entry as a tailgating incident with its evidence, and an exit that matched no admitted
   * shopper while such a person was inside as an unpaid exit without a credential (oldest entrant first), or, while
   * nobody such was inside, as an unmatched exit. Called on the pipeline thread only.
   */
  @jakarta.inject.Singleton
  static final class TailgatingIncidents implements UnadmittedEntry.Listener {
    private final Provider<IncidentLog> incidents;
    private final java.util.Deque<String> inside = new java.util.ArrayDeque<>();

    @Inject
    TailgatingIncidents(Provider<IncidentLog> incidents) {
      this.incidents = incidents;
    }

    @Override
    public void unadmittedEntry(UnadmittedEntry entry) {
      var behind = entry.behind();
      incidents.get().tailgating(entry.gate(), entry.track(), entry.ts(),
          behind == null ? null : behind.visitId(), behind == null ? 0 : behind.partySize());
      inside.add(IncidentLog.tailgatingId(entry.gate(), entry.track(), entry.ts()));
    }

    @Override
    public void exitWithoutVisit(GateId gate, long ts) {
      String tailgating = inside.poll();
      if (tailgating != null) {
        incidents.get().exitWithoutCredential(gate, ts, tailgating);
      } else {
        incidents.get().unmatchedExit(gate, ts);
      }
    }
  }
}
