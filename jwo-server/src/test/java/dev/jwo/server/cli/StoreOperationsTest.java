package dev.jwo.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.payments.v1.IncidentKind;
import dev.jwo.sim.Scenario;
import dev.jwo.sim.truth.TruthFiles;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import dev.jwo.core.Money;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's store operations on a simulated busy day: every held receipt is resolved to what its party really took,
 * and every overcharge is contested and refunded or sent to review.
 */
class StoreOperationsTest {

  @Test
  void everyKindOfIncidentIsPrintedAndTheKindsAddUpToAllRecorded() {
    Map<IncidentKind, Long> incidents = new EnumMap<>(IncidentKind.class);
    incidents.put(IncidentKind.TAILGATING, 2L);
    incidents.put(IncidentKind.UNPAID_EXIT, 1L);
    incidents.put(IncidentKind.UNMATCHED_EXIT, 0L);
    incidents.put(IncidentKind.OVER_OFFLINE_CAP, 3L);

    StoreOperations.Counts counts = counts(incidents, 6);
    assertThat(counts.toText()).contains("incidents: 6 in all: 2 tailgating, 1 unpaid exits, 0 exits matched to no"
        + " shopper, 3 carts over the offline entry cap");

    assertThatThrownBy(() -> counts(incidents, 7)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("add up to 6, not the 7 recorded");
    incidents.remove(IncidentKind.OVER_OFFLINE_CAP);
    assertThatThrownBy(() -> counts(incidents, 3)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("every kind");
  }

  private static StoreOperations.Counts counts(Map<IncidentKind, Long> incidents, long recorded) {
    return new StoreOperations.Counts(4, 4, 2, 3, 2, 1, 3, Money.ofMinor(1_234, "USD"), 10, 12, 0, incidents, recorded,
        1, 2, 3, 4);
  }

  @Test
  void reviewsAndContestsBringEveryReceiptToTheTruth(@TempDir Path dir) throws Exception {
    List<StoreOperations.Counts> counts = new ArrayList<>();
    AccuracyRun run = AccuracyRun.runWith(Scenario.preset("busy"), 1, dir, new PrintStream(OutputStream.nullOutputStream()),
        injector -> counts.add(new StoreOperations(injector, TruthFiles.readVisits(dir.resolve(TruthFiles.VISITS)))
            .run()));

    StoreOperations.Counts ops = counts.get(0);
    long held = run.replay().receipts().stream()
        .filter(r -> r.status() == dev.jwo.core.ReceiptStatus.REVIEW).count();
    assertThat(ops.held()).isEqualTo(held).isPositive();
    assertThat(ops.unresolved()).isZero();
    assertThat(ops.resolved()).as("every held receipt resolved").isEqualTo(ops.held());
    assertThat(ops.receipts()).isEqualTo(run.replay().receipts().size());
    assertThat(ops.receiptsExact()).as("every held receipt was resolved to the truth: " + ops.toText())
        .isGreaterThanOrEqualTo(ops.held());
    assertThat(ops.contested()).isEqualTo(ops.refundedAtOnce() + ops.sentToReview());
    assertThat(ops.toText()).contains("review desk: " + held + " held receipts");
    // the simulated catalog flags beer and wine age-restricted and no shopper has a verified age
    assertThat(ops.staffChecks()).as(ops.toText()).isPositive();
    assertThat(ops.restrictedLines()).isGreaterThanOrEqualTo(ops.staffChecks());
    // The simulation scripts nobody coming in without a scan, and every simulated card pays.
    assertThat(ops.incidents(IncidentKind.TAILGATING)).as(ops.toText()).isZero();
    assertThat(ops.incidents(IncidentKind.UNPAID_EXIT)).as(ops.toText()).isZero();
    assertThat(ops.incidents(IncidentKind.OVER_OFFLINE_CAP)).as("the demo's processor always answers").isZero();
    assertThat(ops.toText()).contains("incidents: " + ops.incidentsRecorded() + " in all: 0 tailgating, 0 unpaid exits, "
            + ops.incidents(IncidentKind.UNMATCHED_EXIT) + " exits matched to no shopper, 0 carts over the offline"
            + " entry cap")
        .contains("restricted items: " + ops.staffChecks() + " staff checks")
        .contains("inventory: " + ops.binsLow() + " bins low on stock");
  }
}
