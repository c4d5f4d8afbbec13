package dev.jwo.server.cli;

import com.google.inject.Module;
import dev.jwo.server.Replay;
import dev.jwo.server.ReplayResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code jwo replay}: runs a store log through the pipeline and writes {@code receipts.jsonl}. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = "Replay a store log through the pipeline and write the receipts it would have produced.")
final class ReplayCommand implements Callable<Integer> {
  @Option(names = "--store", required = true, paramLabel = "FILE", description = "the store's store.json")
  Path store;

  @Option(names = "--events", required = true, paramLabel = "FILE", description = "the store's events.jsonl")
  Path events;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "where to write receipts.jsonl")
  Path out;

  @Option(names = "--quiet", description = "print nothing but errors")
  boolean quiet;

  @Mixin ModuleOptions modules = new ModuleOptions();

  @Override
  public Integer call() throws Exception {
    ReplayResult result = new Replay(store, events, modules.modules().toArray(Module[]::new)).run(out, (lines, ts) -> {
      if (!quiet) {
        System.err.printf("\rreplayed %,d lines", lines);
      }
    });
    if (!quiet) {
      System.err.println();
      System.out.print(result.summary());
      System.out.print(result.compliance().toText());
    }
    return 0;
  }
}
