package dev.jwo.cart.checkout;

import static dev.jwo.cart.TestLayouts.CHOCOLATE;
import static dev.jwo.cart.TestLayouts.WATER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.cart.DecisionTrace;
import dev.jwo.cart.TestLayouts;
import dev.jwo.cart.ledger.CartEntry;
import dev.jwo.cart.ledger.CartLedger;
import dev.jwo.cart.session.SessionRegistry;
import dev.jwo.cart.session.SessionState;
import dev.jwo.core.BinId;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.Money;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.DoubtfulLine;
import dev.jwo.core.visit.LineItem;
import dev.jwo.core.visit.VisitOutcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Checkout with a grace of 1.5 s after the last exit. */
class CheckoutStageTest {
  static final long T = 1_764_410_400_000L;
  static final long GRACE = 1_500;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final SessionRegistry sessions = new SessionRegistry(Set::of, registry);
  private final CartLedger ledger = new CartLedger(TestLayouts.store(), new InMemoryStoreStorage());
  private final List<VisitOutcome> settled = new ArrayList<>();
  private final ReviewQueue reviews = new ReviewQueue();
  private final CheckoutStage checkout =
      new CheckoutStage(sessions, ledger, settled::add, reviews, new CheckoutSettings(GRACE), registry,
          new ReceiptBeliefs(), DecisionTrace.NONE);

  @Test
  void aDoubtfulLineNamesItsShelfEventAlternativesTracksAndEvidenceForTheReviewer() {
    DoubtfulLine line = new DoubtfulLine(T + 5_000, BinId.of("A1-01-1"), CHOCOLATE, 1, 0.6,
        List.of(new DoubtfulLine.Alternative("v-other", CHOCOLATE, 1, 0.4)),
        List.of(TrackId.of("t7"), TrackId.of("t9")), "track t7 p 0.600: hand in the bin 1.0 s");

    assertThat(CheckoutStage.describe(line))
        .startsWith("bin A1-01-1 at " + (T + 5_000) + ": took 1 x " + CHOCOLATE + " with p 0.600")
        .contains("; or v-other 1 x " + CHOCOLATE + " p 0.400")
        .contains("; tracks t7, t9")
        .endsWith("; evidence: track t7 p 0.600: hand in the bin 1.0 s");
  }

  @Test
  void aConfidentVisitIsChargedOnceTheGraceHasPassed() {
    Admission alice = admit("c-alice", T);
    ledger.append(alice.visitId(), entry(T + 5_000, WATER, 2, true, "2 x 0001"));
    leave(alice.visitId(), T + 30_000);

    checkout.onTimeAdvanced(T + 30_000 + GRACE - 1);
    assertThat(settled).isEmpty();
    checkout.onTimeAdvanced(T + 30_000 + GRACE);
    checkout.onTimeAdvanced(T + 40_000);

    assertThat(settled).containsExactly(new VisitOutcome(alice, ReceiptStatus.CHARGED,
        List.of(new LineItem(WATER, 2, Money.ofMinor(199, "USD"))), T + 30_000, T + 30_000 + GRACE, List.of()));
    assertThat(settled.get(0).total(Money.zero(TestLayouts.USD))).isEqualTo(Money.ofMinor(398, "USD"));
    assertThat(sessions.session(alice.visitId()).orElseThrow().state()).isEqualTo(SessionState.SETTLED);
    assertThat(reviews.size()).isZero();
    assertThat(registry.get("jwo.checkout.visits").tag("decision", "charged").counter().count()).isEqualTo(1);
  }

  @Test
  void aDoubtfulVisitIsHeldForReviewWithItsReasons() {
    Admission bob = admit("c-bob", T);
    ledger.append(bob.visitId(), entry(T + 5_000, WATER, 1, true, "1 x 0001"));
    ledger.append(bob.visitId(), entry(T + 6_000, CHOCOLATE, 1, false, "hands of two visits were near bin A1-2"));
    sessions.addDoubt(bob.visitId(), "a change of -520 g at bin A1-1 could not be given to anyone");
    leave(bob.visitId(), T + 30_000);

    checkout.onTimeAdvanced(T + 32_000);

    assertThat(settled).singleElement().satisfies(outcome -> {
      assertThat(outcome.decision()).isEqualTo(ReceiptStatus.REVIEW);
      assertThat(outcome.items()).extracting(LineItem::sku).containsExactly(WATER, CHOCOLATE);
      assertThat(outcome.reasons()).hasSize(2);
      assertThat(outcome.reasons().get(0)).isEqualTo("a change of -520 g at bin A1-1 could not be given to anyone");
      assertThat(outcome.reasons().get(1)).contains("bin A1-2").contains("took 1 x 0002 with p 0.500");
      assertThat(outcome.doubtfulLines()).singleElement().satisfies(line -> {
        assertThat(line.sku()).isEqualTo(CHOCOLATE);
        assertThat(line.probability()).isEqualTo(0.5);
        assertThat(line.evidence()).isEqualTo("hands of two visits were near bin A1-2");
      });
      assertThat(outcome.probabilityRight()).isLessThan(0.5);
    });
    assertThat(reviews.pending()).containsExactlyElementsOf(settled);
    assertThat(reviews.get(bob.visitId())).contains(settled.get(0));
    assertThat(registry.get("jwo.checkout.visits").tag("decision", "review").counter().count()).isEqualTo(1);
  }

  @Test
  void atTheEndOfTheStreamVisitsStillInTheStoreAreOpenAndEndedOnesAreSettled() {
    Admission shopping = admit("c-shopping", T);
    sessions.memberEntered(shopping.visitId(), TrackId.of("t1"), T + 500);
    ledger.append(shopping.visitId(), entry(T + 5_000, CHOCOLATE, 1, true, "1 x 0002"));
    Admission leaving = admit("c-leaving", T + 1_000);
    leave(leaving.visitId(), T + 20_000);

    checkout.onTimeAdvanced(T + 20_100);
    assertThat(settled).isEmpty();
    checkout.onEndOfStream(T + 20_200);

    assertThat(settled).extracting(o -> o.admission().credential(), VisitOutcome::decision).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Credential.of("c-leaving"), ReceiptStatus.CHARGED),
        org.assertj.core.groups.Tuple.tuple(Credential.of("c-shopping"), ReceiptStatus.OPEN));
    VisitOutcome open = settled.get(1);
    assertThat(open.exitTs()).isNull();
    assertThat(open.decidedTs()).isEqualTo(T + 20_200);
    assertThat(open.items()).containsExactly(new LineItem(CHOCOLATE, 1, Money.ofMinor(349, "USD")));
    assertThat(registry.get("jwo.checkout.visits").tag("decision", "open").counter().count()).isEqualTo(1);
  }

  private Admission admit(String credential, long ts) {
    EntryEvent entry = new EntryEvent(ts, GateId.of("in-1"), Credential.of(credential), 1, null);
    sessions.onEvent(entry);
    return Admission.from(entry);
  }

  private void leave(VisitId visit, long ts) {
    sessions.memberEntered(visit, TrackId.of("t-" + visit), ts - 25_000);
    sessions.memberExited(visit, TrackId.of("t-" + visit), ts);
  }

  private static CartEntry entry(long ts, dev.jwo.core.Sku sku, int quantity, boolean confident, String why) {
    return new CartEntry(ts, sku, quantity, BinId.of(sku.equals(WATER) ? "A1-1" : "A1-2"), confident, why);
  }

  @Test
  void aVisitInDoubtOverHundredsOfShelfEventsKeepsItsMostDoubtfulReasonsWithinABoundAndCountsTheRest() {
    List<DoubtfulLine> lines = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      // every tenth line is the most doubtful; each carries evidence far longer than a reason may be
      double p = i % 10 == 0 ? 0.4 : 0.9;
      lines.add(new DoubtfulLine(1_000L * i, BinId.of("b-" + i), WATER, 1, p,
          List.of(new DoubtfulLine.Alternative("v-other", WATER, 1, 1 - p)), List.of(TrackId.of("t" + i)),
          "x".repeat(9_000)));
    }

    List<String> reasons = CheckoutStage.reasons(lines);

    assertThat(reasons).allSatisfy(r -> assertThat(r).hasSizeLessThanOrEqualTo(CheckoutStage.MAX_REASON_CHARS));
    assertThat(String.join("", reasons).length()).isLessThanOrEqualTo(CheckoutStage.MAX_REASONS_CHARS + 200);
    List<String> listed = reasons.subList(0, reasons.size() - 1);
    assertThat(listed).hasSize(CheckoutStage.MAX_REASONS_CHARS / CheckoutStage.MAX_REASON_CHARS);
    // the thirty most doubtful are all there, in the order of their shelf events
    assertThat(listed.stream().filter(r -> r.contains("with p 0.400")).count()).isEqualTo(30);
    assertThat(listed.get(0)).startsWith("bin b-0 at 0: took 1 x ");
    assertThat(reasons.get(reasons.size() - 1))
        .isEqualTo((300 - listed.size()) + " less doubtful lines are not listed here; the decision trace has every line");
  }

  @Test
  void aFewDoubtfulLinesAreListedInFullInTheirOrder() {
    List<DoubtfulLine> lines = List.of(
        new DoubtfulLine(2_000, BinId.of("b-1"), WATER, 1, 0.9, List.of(), List.of(), "short"),
        new DoubtfulLine(1_000, BinId.of("b-2"), CHOCOLATE, -1, 0.5, List.of(), List.of(), "also short"));

    assertThat(CheckoutStage.reasons(lines)).containsExactly(
        CheckoutStage.describe(lines.get(0)), CheckoutStage.describe(lines.get(1)));
  }
}
