package dev.jwo.server.cli;

import dev.jwo.core.storelog.StoreLogReader;
import dev.jwo.sim.score.ScoreReport;
import dev.jwo.sim.score.Scorer;
import dev.jwo.sim.truth.TruthFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jwo score}: grades a {@code receipts.jsonl} against a simulation's truth. */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = "Score receipts against a simulation's ground truth: exact, wrong-charge and review rates, "
        + "item precision and recall, exit-to-receipt latency.")
final class ScoreCommand implements Callable<Integer> {
  @Option(names = "--truth", required = true, paramLabel = "DIR",
      description = "the simulation's directory (with " + TruthFiles.VISITS + ")")
  Path truth;

  @Option(names = "--receipts", required = true, paramLabel = "FILE", description = "the receipts.jsonl to score")
  Path receipts;

  @Option(names = "--json", description = "print one JSON object instead of a table")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ScoreReport report = Scorer.score(
        TruthFiles.readVisits(truth.resolve(TruthFiles.VISITS)), StoreLogReader.readReceipts(receipts));
    System.out.print(json ? report.toJson() + System.lineSeparator() : report.toTable());
    return 0;
  }
}
