package dev.jwo.cart.shelf;

import static dev.jwo.cart.TestLayouts.CHOCOLATE;
import static dev.jwo.cart.TestLayouts.WATER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.jwo.cart.DecisionTrace;
import dev.jwo.cart.ShelfEvent;
import dev.jwo.cart.ShelfEventBelief;
import dev.jwo.cart.ShelfEventDetector;
import dev.jwo.cart.TestLayouts;
import dev.jwo.cart.checkout.ReceiptBeliefs;
import dev.jwo.cart.ledger.CartEntry;
import dev.jwo.cart.ledger.CartLedger;
import dev.jwo.cart.session.SessionRegistry;
import dev.jwo.core.BinId;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.Point3;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.event.WeightEvent;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.HandSighting;
import dev.jwo.core.visit.ShopperLocator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the shelf stage believes of changes that no unit of a product explains, and of units. */
class ShelfStageTest {
  static final long T = 1_764_410_400_000L;
  /** Bin A1-1 holds sparkling water, 520 g a bottle; its front is at (4, 4, 1.1). */
  static final BinId WATER_BIN = BinId.of("A1-1");

  private final StoreLayout layout = TestLayouts.store();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final SessionRegistry sessions = new SessionRegistry(Set::of, registry);
  private final CartLedger ledger = new CartLedger(layout, new InMemoryStoreStorage());
  private final ReceiptBeliefs beliefs = new ReceiptBeliefs();
  private final List<ShelfEvent> detected = new ArrayList<>();
  private final List<HandSighting> hands = new ArrayList<>();
  private final Map<VisitId, Integer> tracked = new HashMap<>();
  private final ShelfStage stage = new ShelfStage(layout, new ScriptedDetector(),
      new WeightProductResolver(layout, ShelfSettings.DEFAULTS),
      new HandEvidenceAttributor(layout, ShelfSettings.DEFAULTS, AttributionSettings.DEFAULTS),
      new SightingsLocator(), ledger, sessions, registry, beliefs, DecisionTrace.NONE, ShelfSettings.DEFAULTS);

  @Test
  void aLiftAndSetBackThatNoProductExplainsCostsTheReceiptNothing() {
    VisitId alice = admit("c-alice");
    handInBin(alice, T + 10_000, T + 16_000);

    change(T + 11_000, T + 12_000, -231.4);
    change(T + 14_000, T + 15_000, +232.0);

    assertThat(beliefs.of(alice)).as("the lift, now known to be undone").hasSize(1);
    for (ShelfEventBelief belief : beliefs.of(alice)) {
      assertThat(belief.probabilityOf(alice)).as(belief.evidence()).isZero();
    }
    assertThat(registry.counter("jwo.shelf.undone").count()).isEqualTo(1);
    assertThat(ledger.quantities(alice)).isEmpty();
  }

  @Test
  void aChangeNoProductExplainsIsStillDoubtWhenNothingUndoesIt() {
    VisitId alice = admit("c-alice");
    handInBin(alice, T + 10_000, T + 16_000);

    change(T + 11_000, T + 12_000, -231.4);

    assertThat(beliefs.of(alice).get(0).probabilityOf(alice)).isGreaterThan(0.9);
  }

  @Test
  void aSmallChangeWithNoHandInTheBinIsMostLikelyNoUnit() {
    VisitId alice = admit("c-alice");
    handAt(alice, new Point3(4, 4.7, 1.1), T + 10_000, T + 13_000);

    change(T + 11_000, T + 12_000, -9.0);

    assertThat(beliefs.of(alice)).hasSize(1);
    assertThat(beliefs.of(alice).get(0).probabilityOf(alice)).isLessThan(0.001);
  }

  @Test
  void aUnitTakenWithNoHandSeenInTheBinIsStillDoubt() {
    VisitId alice = admit("c-alice");
    handAt(alice, new Point3(4, 4.7, 1.1), T + 10_000, T + 13_000);

    change(T + 11_000, T + 12_000, -521.0);

    assertThat(beliefs.of(alice).get(0).probabilityOf(alice)).isGreaterThan(0.4);
    assertThat(ledger.quantities(alice)).isEmpty();
  }

  @Test
  void aSmallChangeWithTheHandInTheBinIsMostLikelyNoUnitAndChargesNothing() {
    VisitId alice = admit("c-alice");
    handInBin(alice, T + 10_000, T + 13_000);

    change(T + 11_000, T + 12_000, -8.0);

    assertThat(beliefs.of(alice).get(0).probabilityOf(alice)).isLessThan(0.05);
    assertThat(ledger.quantities(alice)).isEmpty();
    assertThat(registry.counter("jwo.shelf.artefacts").count()).isEqualTo(1);
  }

  @Test
  void aUnitTakenWithTheHandInTheBinIsCharged() {
    VisitId alice = admit("c-alice");
    handInBin(alice, T + 10_000, T + 13_000);

    change(T + 11_000, T + 12_000, -521.0);

    assertThat(ledger.quantities(alice)).containsEntry(WATER, 1);
    ShelfEventBelief belief = beliefs.of(alice).get(0);
    assertThat(belief.chosen()).isNotNull();
    assertThat(belief.chosen().probability()).isGreaterThan(0.99);
  }

  @Test
  void aUnitLiftedInTwoMovementsIsOneRemoval() {
    VisitId alice = admit("c-alice");
    handInBin(alice, T + 10_000, T + 18_000);

    change(T + 11_000, T + 12_000, -331.0);
    change(T + 14_000, T + 15_000, -190.5);

    assertThat(ledger.quantities(alice)).containsEntry(WATER, 1);
    assertThat(registry.counter("jwo.shelf.completed").count()).isEqualTo(1);
    assertThat(beliefs.of(alice)).hasSize(2);
    assertThat(beliefs.of(alice).get(0).probabilityOf(alice)).as("the first movement, part of the removal").isZero();
    assertThat(beliefs.of(alice).get(1).chosen()).isNotNull();
    assertThat(beliefs.of(alice).get(1).chosen().probability()).isGreaterThan(0.99);
  }

  @Test
  void aHandPressingOnTheShelfAndThenLiftingAUnitIsOneRemoval() {
    VisitId alice = admit("c-alice");
    handInBin(alice, T + 10_000, T + 16_000);

    change(T + 11_000, T + 11_500, +18.0);
    change(T + 12_500, T + 13_500, -539.5);

    assertThat(ledger.quantities(alice)).containsEntry(WATER, 1);
    assertThat(beliefs.of(alice).get(0).probabilityOf(alice)).isZero();
  }

  @Test
  void aPutBackOfAnotherProductThatALiftShowsWasAPressIsWithdrawn() {
    VisitId alice = admit("c-alice");
    ledger.append(alice, new CartEntry(T + 5_000, CHOCOLATE, 1, BinId.of("A1-2"), true, "taken before"));
    handInBin(alice, T + 10_000, T + 16_000);

    change(T + 11_000, T + 11_500, +108.5);
    assertThat(ledger.quantities(alice)).as("explained at first as the chocolate put back").doesNotContainKey(CHOCOLATE);
    change(T + 12_500, T + 13_500, -628.0);

    assertThat(ledger.quantities(alice)).containsEntry(WATER, 1).containsEntry(CHOCOLATE, 1);
    assertThat(registry.counter("jwo.shelf.presses").count()).isEqualTo(1);
    assertThat(beliefs.of(alice).get(0).probabilityOf(alice)).as("the press, part of the lift").isZero();
  }

  @Test
  void aRemovalThatIsAUnitOnItsOwnCompletesNothing() {
    VisitId alice = admit("c-alice");
    handInBin(alice, T + 10_000, T + 16_000);

    change(T + 11_000, T + 12_000, -231.4);
    change(T + 13_000, T + 14_000, -520.5);

    assertThat(ledger.quantities(alice)).containsEntry(WATER, 1);
    assertThat(registry.counter("jwo.shelf.completed").count()).isZero();
    assertThat(beliefs.of(alice).get(0).probabilityOf(alice)).as("still unexplained").isGreaterThan(0.9);
  }

  @Test
  void aTakeByUnidentifiedHandsIsLikelierTheVisitMissingAMemberNearbyThanABystanders() {
    VisitId bob = admit("c-bob");
    VisitId carol = admit("c-carol", T + 1, 2);
    tracked.put(bob, 1);
    tracked.put(carol, 1);
    handAt(bob, new Point3(4, 5.0, 1.1), T + 10_000, T + 13_000);
    handAt(carol, new Point3(4.5, 4.8, 1.1), T + 10_000, T + 13_000);
    hands.add(new HandSighting(TrackId.of("t-stranger"), null, new Point3(4, 4.05, 1.1), T + 11_200));
    hands.add(new HandSighting(TrackId.of("t-stranger"), null, new Point3(4, 4.05, 1.1), T + 11_300));

    change(T + 11_000, T + 12_000, -521.0);

    ShelfEventBelief belief = beliefs.of(bob).get(0);
    assertThat(belief.probabilityOf(carol)).as(belief.evidence()).isGreaterThan(0.45);
    assertThat(belief.probabilityOf(bob)).as(belief.evidence()).isLessThan(0.02);
    assertThat(ledger.quantities(bob)).isEmpty();
    assertThat(ledger.quantities(carol)).isEmpty();
  }

  @Test
  void aTakeByUnidentifiedHandsIsSharedAlikeWhenTheVisitMissingAMemberHasNoneNearby() {
    VisitId bob = admit("c-bob");
    VisitId carol = admit("c-carol", T + 1, 2);
    tracked.put(bob, 1);
    tracked.put(carol, 1);
    handAt(bob, new Point3(4, 5.0, 1.1), T + 10_000, T + 13_000);
    hands.add(new HandSighting(TrackId.of("t-stranger"), null, new Point3(4, 4.05, 1.1), T + 11_200));

    change(T + 11_000, T + 12_000, -521.0);

    ShelfEventBelief belief = beliefs.of(bob).get(0);
    assertThat(belief.probabilityOf(bob)).as(belief.evidence()).isCloseTo(0.25, within(0.01));
    assertThat(belief.probabilityOf(carol)).as(belief.evidence()).isCloseTo(0.25, within(0.01));
  }

  @Test
  void aTakeByUnidentifiedHandsIsSharedByTheVisitsNearbyWhenNoneMissesAMember() {
    VisitId bob = admit("c-bob");
    tracked.put(bob, 1);
    handAt(bob, new Point3(4, 5.0, 1.1), T + 10_000, T + 13_000);
    hands.add(new HandSighting(TrackId.of("t-stranger"), null, new Point3(4, 4.05, 1.1), T + 11_200));

    change(T + 11_000, T + 12_000, -521.0);

    assertThat(beliefs.of(bob).get(0).probabilityOf(bob)).isGreaterThan(0.45);
  }

  @Test
  void twoUnitsTakenWhileHandsOfTwoVisitsWereInTheBinAreOneEach() {
    VisitId bob = admit("c-bob");
    VisitId carol = admit("c-carol", T + 1, 1);
    twoUnitsTakenWhileInTheBin(bob, carol, T + 10_500, T + 12_500);

    assertThat(ledger.quantities(bob)).containsEntry(WATER, 1);
    assertThat(ledger.quantities(carol)).containsEntry(WATER, 1);
    assertThat(registry.counter("jwo.shelf.shared").count()).isEqualTo(1);
    ShelfEventBelief bobs = beliefs.of(bob).get(0);
    assertThat(bobs.chosen()).isNotNull();
    assertThat(bobs.chosen().quantity()).isEqualTo(1);
    assertThat(bobs.chosen().probability()).isCloseTo(ShelfStage.SHARED_TAKE, within(0.01));
    assertThat(bobs.probabilityOf(carol)).as("each visit weighs only its own part").isZero();
  }

  @Test
  void twoUnitsTakenWithABriefTouchOfAnotherVisitAreOnePersons() {
    VisitId bob = admit("c-bob");
    VisitId carol = admit("c-carol", T + 1, 1);
    twoUnitsTakenWhileInTheBin(bob, carol, T + 11_800, T + 12_200);

    assertThat(ledger.quantities(bob)).containsEntry(WATER, 2);
    assertThat(ledger.quantities(carol)).isEmpty();
    assertThat(registry.counter("jwo.shelf.shared").count()).isZero();
  }

  @Test
  void aHandStillInTheBinAfterItsOwnTakeIsNoSharerOfTheNext() {
    VisitId bob = admit("c-bob");
    VisitId carol = admit("c-carol", T + 1, 1);
    handAt(carol, new Point3(4.1, 4.05, 1.1), T + 8_000, T + 12_500);
    change(T + 8_500, T + 9_800, -521.0);
    assertThat(ledger.quantities(carol)).containsEntry(WATER, 1);
    handInBin(bob, T + 10_000, T + 12_500);

    change(T + 11_000, T + 12_000, -1041.0);

    assertThat(registry.counter("jwo.shelf.shared").count()).isZero();
  }

  @Test
  void twoUnitsTakenByTwoMembersOfOnePartyStayThatPartys() {
    VisitId bob = admit("c-bob", T, 2);
    handInBin(bob, T + 10_000, T + 12_500);
    for (long ts = T + 10_500; ts <= T + 12_500; ts += 100) {
      hands.add(new HandSighting(TrackId.of("t-bob-2"), bob, new Point3(4.1, 4.05, 1.1), ts));
    }

    change(T + 11_000, T + 12_000, -1041.0);

    assertThat(ledger.quantities(bob)).containsEntry(WATER, 2);
    assertThat(registry.counter("jwo.shelf.shared").count()).isZero();
  }

  /**
   * Two units of water taken from T + 11 s to T + 12 s, with {@code first}'s hand in the bin throughout and
   * {@code second}'s beside it from {@code secondFrom} to {@code secondTo}.
   */
  private void twoUnitsTakenWhileInTheBin(VisitId first, VisitId second, long secondFrom, long secondTo) {
    handInBin(first, T + 10_000, T + 12_500);
    handAt(second, new Point3(4.1, 4.05, 1.1), secondFrom, secondTo);
    change(T + 11_000, T + 12_000, -1041.0);
  }

  private VisitId admit(String credential) {
    return admit(credential, T, 1);
  }

  private VisitId admit(String credential, long ts, int partySize) {
    EntryEvent entry = new EntryEvent(ts, GateId.of("in-1"), Credential.of(credential), partySize, null);
    sessions.onEvent(entry);
    VisitId visit = Admission.from(entry).visitId();
    sessions.memberEntered(visit, track(visit), ts + 1_000);
    return visit;
  }

  private void handInBin(VisitId visit, long from, long to) {
    handAt(visit, new Point3(4, 4.05, 1.1), from, to);
  }

  private void handAt(VisitId visit, Point3 where, long from, long to) {
    for (long ts = from; ts <= to; ts += 100) {
      hands.add(new HandSighting(track(visit), visit, where, ts));
    }
  }

  private void change(long start, long end, double grams) {
    detected.add(new ShelfEvent(WATER_BIN, start, end, grams));
    stage.onEvent(new WeightEvent(end, WATER_BIN, 0));
  }

  private static TrackId track(VisitId visit) {
    return TrackId.of("t-" + visit.value());
  }

  /** Reports each scripted change at the next reading. */
  private final class ScriptedDetector implements ShelfEventDetector {
    @Override
    public List<ShelfEvent> onReading(WeightEvent reading) {
      List<ShelfEvent> events = List.copyOf(detected);
      detected.clear();
      return events;
    }

    @Override
    public List<ShelfEvent> flush(long ts) {
      return onReading(new WeightEvent(ts, WATER_BIN, 0));
    }
  }

  /** Hands where the test put them. */
  private final class SightingsLocator implements ShopperLocator {
    @Override
    public List<HandSighting> handsNear(Point3 point, double radiusMetres, long fromTs, long toTs) {
      return hands.stream()
          .filter(h -> h.ts() >= fromTs && h.ts() <= toTs && h.hand().distanceTo(point) <= radiusMetres)
          .toList();
    }

    @Override
    public OptionalInt membersTracked(VisitId visit) {
      Integer n = tracked.get(visit);
      return n == null ? OptionalInt.empty() : OptionalInt.of(n);
    }
  }
}
