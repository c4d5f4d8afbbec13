package dev.jwo.server;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.compliance.ComplianceSummary;
import dev.jwo.compliance.evidence.ComplianceEvidence;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.ingest.StoreIntake;
import dev.jwo.core.pipeline.Rejection;
import dev.jwo.core.pipeline.RejectionReason;
import dev.jwo.core.pipeline.StorePipeline;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storelog.EventLogReader;
import dev.jwo.core.storelog.LogHeader;
import dev.jwo.core.storelog.StoreLogFormatException;
import dev.jwo.core.storelog.StoreLogReader;
import dev.jwo.core.storelog.StoreLogWriter;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.export.ExportChannels;
import dev.jwo.compliance.export.ExportGuard;
import dev.jwo.payments.Receipt;
import dev.jwo.payments.ReceiptBook;
import dev.jwo.payments.StaffCheckSettings;
import dev.jwo.payments.settlement.VisitPayments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * Replays a store log through the same pipeline that serves live input, and writes the receipts it would have
 * produced ({@code receipts.jsonl}), with the compliance evidence beside them ({@code compliance.json}). Bad
 * lines and events are rejected with their line and reason, counted, and skipped; the replay goes on. The store is
 * kept in memory unless a module binds a durable storage; the replay closes the storage when it is done.
 */
public final class Replay {
  /** How many rejections are quoted in the result; all are counted. */
  static final int EXAMPLES = 5;
  /**
   * Events read before their camera features are screened together: the tracker's view of who stands where lags
   * by this many events (and the reordering window), as live input's lags by a commit.
   */
  private static final int INTAKE_BATCH = 64;

  /** Told how far a replay has got. */
  public interface Progress {
    void linesRead(long lines, long eventTs);
  }

  private final Path storeFile;
  private final Path eventsFile;
  private final List<Module> extraModules;

  /** A replay of {@code storeFile} and {@code eventsFile}, with {@code extraModules} added to the defaults. */
  private AfterReplay afterReplay = injector -> { };

  public Replay(Path storeFile, Path eventsFile, Module... extraModules) {
    this.storeFile = storeFile;
    this.eventsFile = eventsFile;
    this.extraModules = List.of(extraModules);
  }

  /** Work done on the replayed store once its receipts are written, before it is closed. */
  public interface AfterReplay {
    void run(Injector injector) throws IOException, InterruptedException;
  }

  /** Runs {@code after} on the replayed store once its receipts are written (e.g. the demo's store operations). */
  public Replay afterReplay(AfterReplay after) {
    this.afterReplay = after;
    return this;
  }

  /**
   * Runs the replay and writes {@code receipts.jsonl} and {@code compliance.json} into {@code outDir} (created if
   * missing).
   *
   * @throws StoreLogFormatException if {@code store.json} is invalid, or the events were recorded in another store
   * @throws IOException if a file cannot be read or written
   */
  public ReplayResult run(Path outDir, Progress progress) throws IOException, InterruptedException {
    StoreLayout layout = StoreLogReader.readStore(storeFile);
    List<Module> modules = new ArrayList<>(extraModules);
    // Nobody checks IDs in a recorded log: staff checks are raised and counted, receipts are not held for them.
    modules.add(binder -> OptionalBinder.newOptionalBinder(binder, StaffCheckSettings.class).setBinding()
        .toInstance(StaffCheckSettings.RECORDED));
    Injector injector = Guice.createInjector(StoreModules.forStore(layout, modules.toArray(Module[]::new)));
    StorePipeline pipeline = injector.getInstance(StorePipeline.class);
    StoreIntake intake = injector.getInstance(StoreIntake.class);
    List<String> examples = new ArrayList<>();
    List<SensorEvent> pending = new ArrayList<>();
    List<String> pendingLines = new ArrayList<>();
    long lines;
    long lastTs = 0;
    try (EventLogReader reader = StoreLogReader.openEvents(eventsFile)) {
      while (true) {
        SensorEvent event;
        try {
          event = reader.next();
        } catch (StoreLogFormatException e) {
          pipeline.recordRejection("unreadable", new Rejection(RejectionReason.MALFORMED, e.getMessage()));
          example(examples, e.getMessage());
          continue;
        }
        if (event == null) {
          break;
        }
        checkStore(reader, layout);
        pending.add(event);
        pendingLines.add(reader.fileName() + ":" + reader.lineNumber());
        if (pending.size() == INTAKE_BATCH) {
          submit(pipeline, intake, pending, pendingLines, examples);
        }
        lastTs = event.ts();
        if (reader.lineNumber() % 10_000 == 0) {
          progress.linesRead(reader.lineNumber(), lastTs);
        }
      }
      submit(pipeline, intake, pending, pendingLines, examples);
      lines = reader.lineNumber();
      progress.linesRead(lines, lastTs);
    }
    pipeline.finish();
    VisitPayments payments = injector.getInstance(VisitPayments.class);
    if (!payments.awaitIdle(Duration.ofMinutes(5))) {
      throw new IllegalStateException("payments did not finish within 5 minutes");
    }
    List<Receipt> receipts = injector.getInstance(ReceiptBook.class).all();
    // receipts.jsonl names each shopper's credential, as the store log format asks: a back-office export.
    injector.getInstance(ExportGuard.class).require(ExportChannels.BACK_OFFICE.recipient(),
        EnumSet.of(DataCategory.PURCHASE, DataCategory.PAYMENT_TOKEN), "", "receipts.jsonl", lastTs);
    Files.createDirectories(outDir);
    Path receiptsFile = outDir.resolve("receipts.jsonl");
    StoreLogWriter.writeReceipts(receiptsFile, receipts.stream().map(Receipt::toRecord).toList());
    afterReplay.run(injector);
    payments.close();
    ComplianceEvidence evidence = injector.getInstance(ComplianceEvidence.class);
    evidence.writeJson(outDir.resolve("compliance.json"));
    ComplianceSummary compliance = evidence.summary();
    injector.getInstance(StoreStorage.class).close();
    return new ReplayResult(lines, pipeline.stats(), examples, receipts, receiptsFile, compliance);
  }

  /**
   * Submits the events read since the last call, their camera features screened at the store's boundary first, as
   * live input's are (see {@link StoreIntake}).
   */
  private static void submit(StorePipeline pipeline, StoreIntake intake, List<SensorEvent> events,
      List<String> lines, List<String> examples) {
    List<SensorEvent> screened = intake.screenEvents(events);
    for (int i = 0; i < screened.size(); i++) {
      Optional<Rejection> rejection = pipeline.submit(screened.get(i));
      if (rejection.isPresent()) {
        example(examples, lines.get(i) + ": " + rejection.get());
      }
    }
    events.clear();
    lines.clear();
  }

  private static void checkStore(EventLogReader reader, StoreLayout layout) {
    Optional<LogHeader> header = reader.header();
    if (header.isPresent() && !header.get().storeId().equals(layout.storeId())) {
      throw new StoreLogFormatException(reader.fileName(), 1, "the events were recorded in store '"
          + header.get().storeId() + "' but store.json describes store '" + layout.storeId() + "'");
    }
  }

  private static void example(List<String> examples, String text) {
    if (examples.size() < EXAMPLES) {
      examples.add(text);
    }
  }
}
