package dev.jwo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.compliance.ComplianceException;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditRecord;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.export.ExportChannels;
import dev.jwo.compliance.GuardDecision;
import dev.jwo.compliance.vault.BiometricVault;
import dev.jwo.vision.paths.VisitPaths;
import dev.jwo.core.Credential;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.compliance.keys.StoreKeyProvider;
import dev.jwo.compliance.keys.StoreKeys;
import dev.jwo.compliance.keys.SubjectKey;
import dev.jwo.compliance.keys.Subjects;
import dev.jwo.compliance.vault.VaultMasterKey;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import dev.jwo.core.storelog.EventLogWriter;
import dev.jwo.core.storelog.LogHeader;
import dev.jwo.core.storelog.StoreLogWriter;
import dev.jwo.testing.compliance.FaceCameras;
import dev.jwo.testing.compliance.Releases;
import dev.jwo.testing.scenario.StoreScript;
import dev.jwo.testing.storage.FakeStoreStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole store with face cameras, replayed: the statute end to end. Alice signed the disclosure in the app before
 * her visit (her entry names its version), Bob did not.
 */
class ComplianceReplayTest {
  static final long START = 1_764_410_400_000L;

  @TempDir Path dir;

  /** The replay closes the storage it was given; the test reads what it kept through a reopened one. */
  private final FakeStoreStorage storage = new FakeStoreStorage();
  /** The store's keys, the same for the releases recorded before a replay and for the replay. */
  private final StoreKeys keys = new StoreKeys(VaultMasterKey.random(), SubjectKey.of(new byte[32]));

  private ReplayResult replay(String jurisdiction, String out) throws Exception {
    return replay(jurisdiction, out, storage);
  }

  private ReplayResult replay(String jurisdiction, String out, StoreStorage into) throws Exception {
    return replay(jurisdiction, out, into, ExportChannels.DEFAULTS);
  }

  private ReplayResult replay(String jurisdiction, String out, StoreStorage into, ExportChannels channels)
      throws Exception {
    StoreScript script = new StoreScript(StoreScript.smallStore("test-001", jurisdiction), START, 5);
    script.shopper("c-alice", 0).take("A1-1", 1);
    script.shopper("c-bob", 40_000).take("A1-3", 1);
    StoreLayout layout = FaceCameras.withFaceCameras(script.layout());
    // Alice signed the release in the app before her visit (through the consent API); her entry only refers to it.
    Releases.record(into, layout, keys, List.of(Credential.of("c-alice")), START - 60_000);
    writeLog(layout, FaceCameras.withFaces(script.events(), Map.of(Credential.of("c-alice"), "bio-2026-01")));
    return new Replay(dir.resolve("store.json"), dir.resolve("events.jsonl"), new AbstractModule() {
      @Override
      protected void configure() {
        OptionalBinder.newOptionalBinder(binder(), StoreStorage.class).setBinding().toInstance(into);
        OptionalBinder.newOptionalBinder(binder(), StoreKeyProvider.class).setBinding().toInstance(keys);
        OptionalBinder.newOptionalBinder(binder(), ExportChannels.class).setBinding().toInstance(channels);
      }
    }).run(dir.resolve(out), (l, t) -> {});
  }

  @Test
  void inIllinoisFacesAreUsedOnlyForTheShopperWhoSignedAndDestroyedWhenTheVisitEnds() throws Exception {
    ReplayResult result = replay("US-IL", "out");

    assertThat(result.receipts()).hasSize(2).allSatisfy(r ->
        assertThat(r.status()).as("held because %s", r.reasons()).isEqualTo(ReceiptStatus.CHARGED));
    JsonNode json = new ObjectMapper().readTree(dir.resolve("out/compliance.json").toFile());
    assertThat(json.path("format").asText()).isEqualTo("jwo-compliance/1");
    assertThat(json.path("jurisdiction").asText()).isEqualTo("US-IL");
    JsonNode face = json.path("features").path("face_geometry");
    assertThat(face.path("biometric").asBoolean()).isTrue();
    assertThat(face.path("used").asLong()).isPositive();
    assertThat(face.path("dropped").asLong()).isPositive();
    assertThat(face.path("received").asLong())
        .isEqualTo(face.path("used").asLong() + face.path("dropped").asLong());
    assertThat(face.path("drop_reasons").fieldNames()).toIterable()
        .anySatisfy(reason -> assertThat(reason).contains("no valid signed release").contains("740 ILCS 14/15(b)"));
    assertThat(json.path("consents").path("entries_with_a_release").asLong()).isEqualTo(1);
    assertThat(json.path("destructions").path("done").asLong()).isEqualTo(1);
    assertThat(json.path("destructions").path("templates_held").asLong()).isZero();
    assertThat(json.path("audit_chain").path("verified").asBoolean()).isTrue();
    assertThat(json.path("audit_chain").path("head_hash").asText()).hasSize(64);
    JsonNode illinois = json.path("exposure").get(0);
    assertThat(illinois.path("with_valid_consent").asLong()).as("Alice").isEqualTo(1);
    assertThat(illinois.path("without_valid_consent").asLong())
        .as("Bob's faces reached the store, removed at the door or not: collected without his release")
        .isGreaterThanOrEqualTo(1).isEqualTo(illinois.path("received").asLong() - 1);
    assertThat(illinois.path("negligent_minor_usd").asLong())
        .isEqualTo(illinois.path("without_valid_consent").asLong() * 1_000_00);

    String alice = keys.subjectKey().subject(Credential.of("c-alice"));
    String bob = keys.subjectKey().subject(Credential.of("c-bob"));
    StoreStorage kept = storage.reopen();
    List<AuditRecord> records = new AuditChain(kept, new Subjects(kept, keys.subjectKey()), keys.auditKey(),
        dev.jwo.compliance.audit.AuditCheckpoints.inMemory()).records();
    assertThat(records).filteredOn(r -> r.type() == AuditType.CAPTURE).extracting(AuditRecord::subject)
        .containsOnly(alice);
    assertThat(records).filteredOn(r -> r.type() == AuditType.DROP).extracting(AuditRecord::subject).contains(bob);
    assertThat(records).filteredOn(r -> r.type() == AuditType.DESTRUCTION).singleElement()
        .satisfies(r -> {
          assertThat(r.subject()).isEqualTo(alice);
          assertThat(r.detail("key_shredded")).isEqualTo("true");
          assertThat(r.detail("reason")).isEqualTo("purpose satisfied");
        });
    assertThat(kept.table(BiometricVault.DATA).scan("")).isEmpty();
    assertThat(kept.table(BiometricVault.KEYS).scan("")).isEmpty();
  }

  @Test
  void eachVisitsPathIsKeptOnceASecondPerShopperNamingOnlyThePayersSubjectAndNoFace() throws Exception {
    replay("US-IL", "out");

    StoreStorage kept = storage.reopen();
    List<VisitPaths.StoredPath> paths = kept.table(VisitPaths.TABLE).scan("").stream()
        .map(row -> new VisitPaths(kept, use -> GuardDecision.allow("test", "none"), new Subjects(kept, keys.subjectKey()),
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
            .path(dev.jwo.core.VisitId.of(row.key())).orElseThrow())
        .toList();
    assertThat(paths).extracting(VisitPaths.StoredPath::subject).containsExactlyInAnyOrder(
        keys.subjectKey().subject(Credential.of("c-alice")), keys.subjectKey().subject(Credential.of("c-bob")));
    for (VisitPaths.StoredPath path : paths) {
      assertThat(path.erased()).isFalse();
      assertThat(path.samples().size()).as("about one sample a second of the visit")
          .isGreaterThan((int) ((path.endedTs() - path.enteredTs()) / 2_000));
      assertThat(path.samples()).allSatisfy(s -> {
        assertThat(s.ts()).isBetween(path.enteredTs(), path.endedTs());
        assertThat(s.x()).isBetween(0.0, 20.0);
        assertThat(s.y()).isBetween(0.0, 20.0);
      });
      java.util.Map<String, List<Long>> byTrack = new java.util.TreeMap<>();
      path.samples().forEach(s -> byTrack.computeIfAbsent(s.track(), t -> new java.util.ArrayList<>()).add(s.ts()));
      byTrack.values().forEach(times -> {
        for (int i = 1; i < times.size(); i++) {
          assertThat(times.get(i) - times.get(i - 1)).as("at most one sample a second").isGreaterThanOrEqualTo(1_000);
        }
      });
    }
    byte[] rows = kept.table(VisitPaths.TABLE).scan("").stream().map(r -> new String(r.value().value(),
        java.nio.charset.StandardCharsets.UTF_8)).reduce("", String::concat).getBytes(
        java.nio.charset.StandardCharsets.UTF_8);
    assertThat(new String(rows, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("c-alice")
        .doesNotContain("c-bob");
    assertThat(dev.jwo.testing.compliance.AtRest.holdsVector(rows, FaceCameras.FACE.toArray())).isFalse();
  }

  @Test
  void aPortlandStoreWithFaceCamerasRefusesToStart() {
    assertThatThrownBy(() -> replay("US-OR-PDX", "out"))
        .hasStackTraceContaining("Portland City Code 34.10.020")
        .hasStackTraceContaining("declares face_geometry");
    assertThat(dir.resolve("out/receipts.jsonl")).doesNotExist();
  }

  @Test
  void receiptsLeaveAsABackOfficeExportThroughTheGuardOrNotAtAll() throws Exception {
    replay("US-IL", "out");
    StoreStorage kept = storage.reopen();
    assertThat(new AuditChain(kept, new Subjects(kept, keys.subjectKey()), keys.auditKey(),
        dev.jwo.compliance.audit.AuditCheckpoints.inMemory()).records()).filteredOn(r -> r.type() == AuditType.DISCLOSURE)
        .filteredOn(r -> "receipts.jsonl".equals(r.detail("reference"))).singleElement()
        .satisfies(r -> assertThat(r.detail("recipient")).isEqualTo("back-office"));

    assertThatThrownBy(() -> replay("US-IL", "undeclared", new InMemoryStoreStorage(),
        ExportChannels.of(List.of(ExportChannels.PAYMENT_PROVIDER, ExportChannels.RECEIPTS))))
        .isInstanceOf(ComplianceException.class)
        .hasMessageContaining("no export channel to 'back-office' is declared");
    assertThat(dir.resolve("undeclared/receipts.jsonl")).doesNotExist();
  }

  @Test
  void theEvidenceIsTheSameBytesOnEveryReplay() throws Exception {
    replay("US-IL", "a");
    replay("US-IL", "b", new InMemoryStoreStorage());

    assertThat(Files.readString(dir.resolve("a/compliance.json")))
        .isEqualTo(Files.readString(dir.resolve("b/compliance.json")));
  }

  private void writeLog(StoreLayout layout, List<SensorEvent> events) throws IOException {
    StoreLogWriter.writeStore(dir.resolve("store.json"), layout);
    try (EventLogWriter writer =
        StoreLogWriter.createEvents(dir.resolve("events.jsonl"), LogHeader.of(START, layout.storeId()))) {
      for (SensorEvent event : events) {
        writer.write(event);
      }
    }
  }
}
