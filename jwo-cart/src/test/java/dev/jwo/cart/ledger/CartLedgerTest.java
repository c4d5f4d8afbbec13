package dev.jwo.cart.ledger;

import static dev.jwo.cart.TestLayouts.CHOCOLATE;
import static dev.jwo.cart.TestLayouts.WATER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.jwo.cart.TestLayouts;
import dev.jwo.core.BinId;
import dev.jwo.core.Money;
import dev.jwo.core.Sku;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.VisitId;
import dev.jwo.core.storage.EventJournal;
import dev.jwo.core.storage.ForwardingEventJournal;
import dev.jwo.core.storage.ForwardingStoreStorage;
import dev.jwo.core.storage.StorageException;
import dev.jwo.core.storage.StreamAppend;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class CartLedgerTest {
  static final long T = 1_764_410_400_000L;
  static final VisitId VISIT = VisitId.of("v-1");

  private final StoreLayout layout = TestLayouts.store();
  private final InMemoryStoreStorage storage = new InMemoryStoreStorage();
  private final CartLedger ledger = new CartLedger(layout, storage);

  @Test
  void aCartIsTheFoldOfItsLedger() {
    assertThat(ledger.open(VISIT)).isEqualTo(
        new Cart(VISIT, List.of(), Money.zero(TestLayouts.USD), 0, List.of()));

    ledger.append(VISIT, take(T, WATER, 2));
    ledger.append(VISIT, take(T + 1_000, CHOCOLATE, 1));
    Cart cart = ledger.append(VISIT, take(T + 2_000, WATER, -1));

    assertThat(cart.lines()).containsExactly(
        new CartLine(WATER, "Sparkling water 500 ml", 1, Money.ofMinor(199, "USD")),
        new CartLine(CHOCOLATE, "Dark chocolate 100 g", 1, Money.ofMinor(349, "USD")));
    assertThat(cart.total()).isEqualTo(Money.ofMinor(548, "USD"));
    assertThat(cart.version()).isEqualTo(3);
    assertThat(cart.confident()).isTrue();
    assertThat(ledger.cart(VISIT)).contains(cart);
    assertThat(ledger.quantities(VISIT)).isEqualTo(Map.of(WATER, 1, CHOCOLATE, 1));
  }

  @Test
  void puttingBackMoreThanTheCartHeldIsADoubt() {
    ledger.append(VISIT, take(T, WATER, 1));
    Cart cart = ledger.append(VISIT, take(T + 1_000, WATER, -2));

    assertThat(cart.lines()).isEmpty();
    assertThat(cart.total().isZero()).isTrue();
    assertThat(cart.doubts()).containsExactly("put back 2 x 0001 that the cart did not hold");
    assertThat(cart.confident()).isFalse();
  }

  @Test
  void anEntryThatWasNotConfidentIsADoubtWithItsExplanation() {
    ledger.append(VISIT, take(T, WATER, 1));
    Cart cart = ledger.append(VISIT,
        new CartEntry(T + 1_000, CHOCOLATE, 1, BinId.of("A1-2"), false, "hands of two visits were near bin A1-2"));

    assertThat(cart.doubts()).containsExactly("hands of two visits were near bin A1-2");
    assertThat(cart.lines()).extracting(CartLine::sku).containsExactly(WATER, CHOCOLATE);
  }

  @Test
  void appendingTheSameEntryAtATakenPositionSucceedsOnce() {
    CartLedger other = new CartLedger(layout, storage);
    ledger.open(VISIT);
    other.open(VISIT);
    other.append(VISIT, take(T, WATER, 1));

    Cart cart = ledger.append(VISIT, take(T, WATER, 1));

    assertThat(cart.version()).isEqualTo(1);
    assertThat(cart.lines()).singleElement().extracting(CartLine::quantity).isEqualTo(1);
    assertThat(storage.journal().endPosition("cart/v-1")).isEqualTo(1);
  }

  @Test
  void aDifferentEntryAtATakenPositionIsRefused() {
    CartLedger other = new CartLedger(layout, storage);
    ledger.open(VISIT);
    other.open(VISIT);
    other.append(VISIT, take(T, WATER, 1));

    assertThatThrownBy(() -> ledger.append(VISIT, take(T, CHOCOLATE, 1)))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("holds a different entry at position 0");

    assertThat(ledger.ledger(VISIT)).isEmpty();
    assertThat(ledger.cart(VISIT)).map(Cart::version).contains(0L);
    assertThat(storage.journal().read("cart/v-1", 0, 10)).hasSize(1);
  }

  @Test
  void aRestartThatReplaysItsInputRecognisesStoredEntriesInsteadOfCountingThemTwice() {
    ledger.append(VISIT, take(T, WATER, 3));
    ledger.append(VISIT, new CartEntry(T + 1, CHOCOLATE, 2, BinId.of("A1-2"), false, "fits 2 x 0002 about as well"));

    CartLedger restarted = new CartLedger(layout, storage);
    restarted.append(VISIT, take(T, WATER, 3));
    restarted.append(VISIT, new CartEntry(T + 1, CHOCOLATE, 2, BinId.of("A1-2"), false, "fits 2 x 0002 about as well"));
    Cart cart = restarted.append(VISIT, take(T + 2, WATER, -1));

    assertThat(cart.version()).isEqualTo(3);
    assertThat(restarted.quantities(VISIT)).containsExactly(entry(WATER, 2), entry(CHOCOLATE, 2));
    assertThat(storage.journal().endPosition("cart/v-1")).isEqualTo(3);
    assertThat(restarted.storedLedger(VISIT)).isEqualTo(restarted.ledger(VISIT));
  }

  @Test
  void listenersAreToldOfEveryChangeUntilRemoved() {
    List<Long> versions = new ArrayList<>();
    Consumer<Cart> listener = cart -> versions.add(cart.version());
    ledger.addListener(listener);

    ledger.append(VISIT, take(T, WATER, 1));
    ledger.append(VISIT, take(T + 1, WATER, 1));
    ledger.removeListener(listener);
    ledger.append(VISIT, take(T + 2, WATER, 1));

    assertThat(versions).containsExactly(1L, 2L);
  }

  @Test
  void anEntryTheJournalFailedToStoreIsNotInTheCart() {
    FailingStorage failing = new FailingStorage();
    CartLedger fragile = new CartLedger(layout, failing);
    fragile.append(VISIT, take(T, WATER, 1));
    failing.fail = true;

    assertThatThrownBy(() -> fragile.append(VISIT, take(T + 1, CHOCOLATE, 1))).isInstanceOf(StorageException.class);

    assertThat(fragile.cart(VISIT)).map(Cart::version).contains(1L);
    assertThat(fragile.ledger(VISIT)).hasSize(1);
    failing.fail = false;
    assertThat(fragile.append(VISIT, take(T + 2, CHOCOLATE, 1)).version()).isEqualTo(2);
  }

  @Test
  void deletingALedgerRemovesItFromTheJournalAndMemoryAndAReplayOfItsInputDoesNotWriteItAgain() {
    ledger.append(VISIT, take(T, WATER, 2));
    ledger.append(VISIT, take(T + 1_000, CHOCOLATE, 1));
    ledger.append(VisitId.of("v-2"), take(T + 2_000, WATER, 1));

    assertThat(ledger.delete(VISIT.value())).isEqualTo(2);

    assertThat(storage.journal().read("cart/v-1", 0, 10)).isEmpty();
    assertThat(ledger.storedLedger(VISIT)).isEmpty();
    assertThat(ledger.cart(VISIT)).isEmpty();
    assertThat(ledger.ledger(VISIT)).isEmpty();
    assertThat(ledger.storedLedger(VisitId.of("v-2"))).hasSize(1);
    assertThat(ledger.delete(VISIT.value())).as("deleting again finds nothing").isZero();

    CartLedger restarted = new CartLedger(layout, storage);
    restarted.append(VISIT, take(T, WATER, 2));
    restarted.append(VISIT, take(T + 1_000, CHOCOLATE, 1));
    assertThat(storage.journal().read("cart/v-1", 0, 10)).as("recognised as deleted, not written again").isEmpty();
  }

  private static CartEntry take(long ts, Sku sku, int quantity) {
    return new CartEntry(ts, sku, quantity, BinId.of(sku.equals(WATER) ? "A1-1" : "A1-2"), true, "test");
  }

  /** Storage in memory whose journal refuses appends while {@link #fail} is set. */
  static final class FailingStorage extends ForwardingStoreStorage {
    volatile boolean fail;
    private final EventJournal journal;

    FailingStorage() {
      super(new InMemoryStoreStorage());
      journal = new ForwardingEventJournal(super.journal()) {
        @Override
        public List<Long> appendAll(List<StreamAppend> appends) {
          if (fail) {
            throw new StorageException("disk full", true);
          }
          return super.appendAll(appends);
        }
      };
    }

    @Override
    public EventJournal journal() {
      return journal;
    }
  }
}
