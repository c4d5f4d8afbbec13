package dev.jwo.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.sim.Scenario;
import dev.jwo.sim.truth.TruthFiles;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's store operations on a simulated busy day: every held receipt is resolved to what its party really took,
 * and every overcharge is contested and refunded or sent to review.
 */
class StoreOperationsTest {

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
    assertThat(ops.receipts()).isEqualTo(run.replay().receipts().size());
    assertThat(ops.receiptsExact()).as("every held receipt was resolved to the truth: " + ops.toText())
        .isGreaterThanOrEqualTo(ops.held());
    assertThat(ops.contested()).isEqualTo(ops.refundedAtOnce() + ops.sentToReview());
    assertThat(ops.toText()).contains("review desk: " + held + " held receipts");
    // the simulated catalog flags beer and wine age-restricted and no shopper has a verified age
    assertThat(ops.staffChecks()).as(ops.toText()).isPositive();
    assertThat(ops.restrictedLines()).isGreaterThanOrEqualTo(ops.staffChecks());
    // The simulation scripts nobody coming in without a scan, and every simulated card pays.
    assertThat(ops.tailgating()).as(ops.toText()).isZero();
    assertThat(ops.unpaidExits()).as(ops.toText()).isZero();
    assertThat(ops.toText()).contains("incidents: " + ops.tailgating() + " tailgating")
        .contains("restricted items: " + ops.staffChecks() + " staff checks")
        .contains("inventory: " + ops.binsLow() + " bins low on stock");
  }
}
