package dev.jwo.server.cli;

import com.google.inject.Module;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.compliance.keys.StoreKeyProvider;
import dev.jwo.compliance.keys.StoreKeys;
import dev.jwo.compliance.keys.SubjectKey;
import dev.jwo.compliance.vault.VaultMasterKey;
import dev.jwo.cart.inject.CartModule;
import dev.jwo.cart.trace.JsonLinesTrace;
import dev.jwo.core.storelog.StoreLogReader;
import dev.jwo.server.Replay;
import dev.jwo.server.ReplayResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
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

  @Option(names = "--trace", paramLabel = "FILE",
      description = "write every decision with its evidence to FILE as JSON lines: per shelf event the candidate "
          + "visits and products with their probabilities, per receipt its probability and doubtful lines")
  @Nullable Path trace;

  @Option(names = "--quiet", description = "print nothing but errors")
  boolean quiet;

  @Mixin ModuleOptions modules = new ModuleOptions();

  @Mixin StoreSettingsOption settingsFile = new StoreSettingsOption();

  /** The subject key of replays: fixed, so that replaying a log twice gives the same evidence. */
  private static final byte[] REPLAY_SUBJECT_KEY =
      java.util.Arrays.copyOf(
          "jwo replay subject key, not secret".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 32);

  @Override
  public Integer call() throws Exception {
    List<Module> extra = new ArrayList<>();
    settingsFile.tables(store, StoreLogReader.readStore(store)).ifPresent(t -> extra.add(t.module()));
    extra.addAll(modules.modules());
    // The evidence of a replay is the same bytes each time: people are named with a fixed replay subject key.
    extra.add(binder -> OptionalBinder.newOptionalBinder(binder, StoreKeyProvider.class).setBinding()
        .toInstance(new StoreKeys(VaultMasterKey.random(), SubjectKey.of(REPLAY_SUBJECT_KEY))));
    JsonLinesTrace traceFile = trace == null ? null : new JsonLinesTrace(trace);
    if (traceFile != null) {
      extra.add(CartModule.tracingTo(traceFile));
    }
    ReplayResult result;
    try {
      result = new Replay(store, events, extra.toArray(Module[]::new)).run(out, (lines, ts) -> {
        if (!quiet) {
          System.err.printf("\rreplayed %,d lines", lines);
        }
      });
    } finally {
      if (traceFile != null) {
        traceFile.close();
      }
    }
    if (!quiet) {
      System.err.println();
      System.out.print(result.summary());
      System.out.print(result.compliance().toText());
    }
    return 0;
  }
}
