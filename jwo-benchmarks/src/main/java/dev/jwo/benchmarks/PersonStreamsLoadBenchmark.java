package dev.jwo.benchmarks;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.compliance.Modality;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.consent.Channel;
import dev.jwo.compliance.consent.ConsentLedger;
import dev.jwo.compliance.consent.Disclosure;
import dev.jwo.compliance.consent.SignatureEvidence;
import dev.jwo.compliance.documents.DocumentLibrary;
import dev.jwo.compliance.inject.ComplianceModule;
import dev.jwo.compliance.keys.StoreKeyProvider;
import dev.jwo.compliance.keys.StoreKeys;
import dev.jwo.compliance.keys.SubjectKey;
import dev.jwo.compliance.vault.VaultMasterKey;
import dev.jwo.compliance.visit.VisitCompliance;
import dev.jwo.core.inject.CoreModule;
import dev.jwo.core.storage.EventJournal;
import dev.jwo.core.storage.JournalRecord;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.StreamAppend;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a store with many people pays at start-up for keeping each person's releases in a journal stream of their
 * own: the consent ledger's first question loads every person's stream (one read per stream). The storage holds
 * {@link #persons} streams of one release each, as the ledger writes them; each invocation is a new ledger's first
 * question, as after a restart.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PersonStreamsLoadBenchmark {
  private static final long T = 1_767_000_000_000L;

  @Param({"embedded", "postgresql"})
  public String storage = "embedded";

  @Param({"10000", "100000"})
  public int persons = 10_000;

  @SuppressWarnings("NullAway.Init")
  private BenchStorage opened;

  @SuppressWarnings("NullAway.Init")
  private AuditChain audit;

  @Setup(Level.Trial)
  public void fill() throws Exception {
    opened = BenchStorage.open(storage);
    audit = store(opened.storage).getInstance(AuditChain.class);
    // One release recorded the ledger's way, then copied to every person under their own subject.
    Injector scratch = store(new InMemoryStoreStorage());
    scratch.getInstance(VisitCompliance.class).ensurePublished(T);
    Disclosure disclosure = scratch.getInstance(DocumentLibrary.class).currentDisclosure().orElseThrow();
    String template = String.format("subj:%032x", 0);
    scratch.getInstance(ConsentLedger.class).record(template, disclosure, disclosure.modalities(),
        new SignatureEvidence("app-tap-to-sign", disclosure.sha256(), "bench"), Channel.APP, T);
    JournalRecord recorded = scratch.getInstance(StoreStorage.class).journal()
        .read(ConsentLedger.PERSON_STREAMS + template, 0, 10).get(0).record();
    String json = new String(recorded.payload(), StandardCharsets.UTF_8);
    List<StreamAppend> batch = new ArrayList<>();
    List<CompletableFuture<List<Long>>> pending = new ArrayList<>();
    for (int p = 1; p <= persons; p++) {
      String subject = String.format("subj:%032x", p);
      batch.add(new StreamAppend(ConsentLedger.PERSON_STREAMS + subject, EventJournal.ANY_POSITION,
          List.of(new JournalRecord(recorded.type(), json.replace(template, subject).getBytes(StandardCharsets.UTF_8)))));
      if (batch.size() == 1_000) {
        pending.add(opened.storage.journal().appendAllAsync(batch));
        batch = new ArrayList<>();
      }
    }
    if (!batch.isEmpty()) {
      pending.add(opened.storage.journal().appendAllAsync(batch));
    }
    for (CompletableFuture<List<Long>> done : pending) {
      done.get();
    }
  }

  private static Injector store(StoreStorage storage) {
    return Guice.createInjector(new CoreModule(CartRebuildBenchmark.layout()), new ComplianceModule(),
        new AbstractModule() {
          @Override
          protected void configure() {
            OptionalBinder.newOptionalBinder(binder(), StoreStorage.class).setBinding().toInstance(storage);
            OptionalBinder.newOptionalBinder(binder(), StoreKeyProvider.class).setBinding()
                .toInstance(new StoreKeys(VaultMasterKey.of(new byte[32]), SubjectKey.of(new byte[32])));
          }
        });
  }

  @TearDown(Level.Trial)
  public void close() {
    opened.close();
  }

  /** A new ledger's first question: every person's stream read. */
  @Benchmark
  public boolean firstQuestionAfterARestart() {
    return new ConsentLedger(opened.storage, audit)
        .validConsent(String.format("subj:%032x", persons / 2), Modality.FACE, T + 1).isPresent();
  }
}
