package dev.jwo.testing.cart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.cart.Attribution;
import dev.jwo.cart.PickAttributor;
import dev.jwo.cart.ShelfEvent;
import dev.jwo.core.Bin;
import dev.jwo.core.BinId;
import dev.jwo.core.Point3;
import dev.jwo.core.Sku;
import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link PickAttributor} must keep for shelf events to be charged to the right visit. Subclass
 * it in your attributor's tests and implement {@link #newAttributor()}.
 *
 * <p>The kit's shelf runs along x; {@link #BIN} is 0.4 m wide, its front at (4, 4, 1.1). Its load changes from
 * {@link #T} to 600 ms later, and hands are seen during the change. Within reach means a few centimetres from the
 * front (or anywhere along a wide bin's front); out of reach is more than a metre away; long before or after is a
 * minute. Hands are reported by a {@link ScriptedShopperLocator}, which answers the radius and time range asked.
 */
public abstract class PickAttributorContractKit {
  protected static final long T = 1_764_410_400_000L;
  protected static final Bin BIN = new Bin(BinId.of("A1-1"), Sku.of("0001"), new Point3(4, 4, 1.1), 0.4, 20);
  protected static final VisitId ALICE = VisitId.of("v-alice");
  protected static final VisitId BOB = VisitId.of("v-bob");
  protected static final ShelfEvent PICK = new ShelfEvent(BIN.id(), T, T + 600, -520);

  private PickAttributor attributor;
  private ScriptedShopperLocator hands;

  /** A fresh attributor. */
  protected abstract PickAttributor newAttributor();

  @BeforeEach
  void setUpAttributor() {
    attributor = newAttributor();
    hands = new ScriptedShopperLocator();
  }

  @Test
  void withoutHandsNobodyGetsIt() {
    Attribution attribution = attribute(PICK, BIN);

    assertThat(attribution.visitId()).isEmpty();
    assertThat(attribution.confident()).isFalse();
  }

  @Test
  void theOnlyShoppersHandAtTheBinGetsItConfidently() {
    seen("t1", ALICE, 0.03, T + 100);
    seen("t1", ALICE, 0.05, T + 400);
    hands.seen(TrackId.of("t2"), BOB, new Point3(4, 2.6, 0.9), T + 300);

    Attribution attribution = attribute(PICK, BIN);

    assertThat(attribution.visitId()).as("a shopper passing in the aisle is no doubt").contains(ALICE);
    assertThat(attribution.confident()).isTrue();
  }

  @Test
  void aPutBackIsAttributedLikeAPick() {
    seen("t1", ALICE, 0.03, T + 200);

    Attribution attribution = attribute(new ShelfEvent(BIN.id(), T, T + 600, 520), BIN);

    assertThat(attribution.visitId()).contains(ALICE);
    assertThat(attribution.confident()).isTrue();
  }

  @Test
  void theVisitWhoseHandCameNearestGetsIt() {
    seen("t1", ALICE, 0.02, T + 200);
    seen("t2", BOB, 0.35, T + 250);

    assertThat(attribute(PICK, BIN).visitId()).contains(ALICE);
  }

  @Test
  void handsOfTwoVisitsEquallyNearAreNotConfident() {
    hands.seen(TrackId.of("t1"), ALICE, new Point3(3.95, 4, 1.1), T + 200);
    hands.seen(TrackId.of("t2"), BOB, new Point3(4.05, 4, 1.1), T + 200);

    Attribution attribution = attribute(PICK, BIN);

    assertThat(attribution.confident()).isFalse();
  }

  @Test
  void handsOfOneVisitAreNoDoubt() {
    hands.seen(TrackId.of("t1"), ALICE, new Point3(3.95, 4, 1.1), T + 200);
    hands.seen(TrackId.of("t1"), ALICE, new Point3(4.05, 4, 1.1), T + 200);
    hands.seen(TrackId.of("t2"), ALICE, new Point3(4.04, 3.98, 1.1), T + 300);

    Attribution attribution = attribute(PICK, BIN);

    assertThat(attribution.visitId()).as("two members of one party").contains(ALICE);
    assertThat(attribution.confident()).isTrue();
  }

  @Test
  void anUnidentifiedPersonsHandNearerThanTheShoppersIsNotConfident() {
    seen("t9", null, 0.02, T + 200);
    seen("t1", ALICE, 0.25, T + 250);

    Attribution attribution = attribute(PICK, BIN);

    assertThat(attribution.confident()).isFalse();
    attribution.visitId().ifPresent(visit -> assertThat(visit).isEqualTo(ALICE));
  }

  @Test
  void onlyAnUnidentifiedPersonsHandGivesItToNobody() {
    seen("t9", null, 0.02, T + 200);

    Attribution attribution = attribute(PICK, BIN);

    assertThat(attribution.visitId()).isEmpty();
    assertThat(attribution.confident()).isFalse();
  }

  @Test
  void aHandOutOfReachSaysNothing() {
    seen("t1", ALICE, 1.2, T + 200);
    hands.seen(TrackId.of("t1"), ALICE, new Point3(4, 4, 2.4), T + 300);

    assertThat(attribute(PICK, BIN).visitId()).isEmpty();
  }

  @Test
  void aHandAtTheBinLongBeforeOrAfterTheChangeSaysNothing() {
    seen("t1", ALICE, 0.02, T - 60_000);
    seen("t2", BOB, 0.02, T + 600 + 60_000);

    assertThat(attribute(PICK, BIN).visitId()).isEmpty();
  }

  @Test
  void aHandAnywhereAlongAWideBinsFrontIsInReach() {
    Bin wide = new Bin(BinId.of("A1-9"), Sku.of("0001"), new Point3(4, 4, 1.1), 1.0, 10);
    hands.seen(TrackId.of("t1"), ALICE, new Point3(4.45, 4, 1.1), T + 200);

    Attribution attribution = attribute(new ShelfEvent(wide.id(), T, T + 600, -520), wide);

    assertThat(attribution.visitId()).contains(ALICE);
    assertThat(attribution.confident()).isTrue();
  }

  @Test
  void theSameHandsGiveTheSameAttribution() {
    seen("t1", ALICE, 0.10, T + 100);
    seen("t2", BOB, 0.10, T + 150);
    seen("t9", null, 0.2, T + 300);
    seen("t3", VisitId.of("v-carol"), 0.3, T + 500);

    Attribution first = attribute(PICK, BIN);

    assertThat(attribute(PICK, BIN)).isEqualTo(first);
    assertThat(newAttributor().attribute(PICK, BIN, hands)).isEqualTo(first);
  }

  /** Attributes, and checks what every attribution must be whatever the hands. */
  private Attribution attribute(ShelfEvent event, Bin bin) {
    Attribution attribution = attributor.attribute(event, bin, hands);
    assertThat(attribution.explanation()).as("explanation").isNotBlank();
    return attribution;
  }

  /** A hand {@code metres} in front of the bin's front, towards the aisle. */
  private void seen(String track, @Nullable VisitId visit, double metres, long ts) {
    Point3 front = BIN.front();
    hands.seen(TrackId.of(track), visit, new Point3(front.x(), front.y() - metres, front.z()), ts);
  }
}
