package dev.jwo.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditRecord;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.vault.BiometricVault;
import dev.jwo.compliance.audit.AuditCheckpoints;
import dev.jwo.compliance.keys.KeyFileProvider;
import dev.jwo.compliance.keys.Subjects;
import dev.jwo.core.security.Role;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.storage.DurableStorage;
import dev.jwo.storage.StorageSettings;
import dev.jwo.testing.compliance.Releases;
import dev.jwo.core.Credential;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.event.FeatureVector;
import dev.jwo.core.event.FrameEvent;
import dev.jwo.core.event.PersonObservation;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.storelog.StoreLogWriter;
import dev.jwo.payments.v1.ListReceiptsRequest;
import dev.jwo.payments.v1.ListReceiptsResponse;
import dev.jwo.payments.v1.ReceiptServiceGrpc;
import dev.jwo.testing.compliance.FaceCameras;
import dev.jwo.testing.scenario.StoreScript;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.security.SecureRandom;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The privacy promise proved from outside: a store with face cameras in Illinois is streamed into a running server,
 * then every byte it left at rest (the database, its log output, what it answers) is scanned for any face vector of
 * the input, in any usual encoding. None may be found: faces of people without a release are never written, and
 * those of the one shopper who signed (her release recorded before, as the consent API does) are used, kept only
 * sealed in the vault, and destroyed once her visit is settled, when her destruction is due.
 */
class BiometricAtRestIT {
  static final long START = 1_764_410_400_000L;

  @TempDir Path dir;

  @Test
  void noFaceVectorRestsAnywhereOnTheEmbeddedDatabase() throws Exception {
    Path data = dir.resolve("data");
    List<String> output = streamStore(List.of("--data", data.toString()), StorageSettings.embedded(data));

    FaceScan scan = new FaceScan(faces);
    try (Stream<Path> files = Files.walk(data)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        scan.bytes(file.toString(), Files.readAllBytes(file));
      }
    }
    scan.bytes("server output", String.join("\n", output).getBytes(StandardCharsets.UTF_8));
    scan.bytes("receipts", receipts.toByteArray());
    assertThat(scan.findings()).isEmpty();
    assertThat(scan.bytesScanned()).as("the scan read the database, not nothing").isGreaterThan(50_000);
  }

  @Test
  void noFaceVectorRestsAnywhereOnPostgresql() throws Exception {
    String database = "jwo_atrest_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection admin = CrashRecoveryIT.adminConnection(); Statement sql = admin.createStatement()) {
      sql.execute("CREATE DATABASE " + database);
    }
    try {
      List<String> output = streamStore(List.of("--jdbc-url", CrashRecoveryIT.POSTGRES + database, "--db-user",
          "postgres"), StorageSettings.postgres(CrashRecoveryIT.POSTGRES + database, "postgres", "", 2));

      FaceScan scan = new FaceScan(faces);
      try (Connection db = DriverManager.getConnection(CrashRecoveryIT.POSTGRES + database, "postgres", "");
          Statement sql = db.createStatement()) {
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = sql.executeQuery("SELECT table_schema || '.' || table_name FROM information_schema.tables"
            + " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')")) {
          while (rs.next()) {
            tables.add(rs.getString(1));
          }
        }
        assertThat(tables).isNotEmpty();
        for (String table : tables) {
          try (ResultSet rs = sql.executeQuery("SELECT * FROM " + table)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
              for (int c = 1; c <= columns; c++) {
                byte[] value = rs.getBytes(c);
                if (value != null) {
                  scan.bytes(table, value);
                }
              }
            }
          }
        }
      }
      scan.bytes("server output", String.join("\n", output).getBytes(StandardCharsets.UTF_8));
      scan.bytes("receipts", receipts.toByteArray());
      assertThat(scan.findings()).isEmpty();
      assertThat(scan.bytesScanned()).isGreaterThan(50_000);
    } finally {
      try (Connection admin = CrashRecoveryIT.adminConnection(); Statement sql = admin.createStatement()) {
        sql.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      }
    }
  }

  private final List<double[]> faces = new ArrayList<>();
  private ListReceiptsResponse receipts = ListReceiptsResponse.getDefaultInstance();

  /**
   * Streams a store where Alice signed the disclosure (through the consent API, before her visit, into the storage
   * the server then runs on, under the vault key it is given) and Bob and Carol did not, every camera sending a
   * noisy face vector of each person; waits for the three receipts, stops the server, checks that Alice's faces
   * were used (sealed) and destroyed once her visit was settled, and returns the server's output.
   */
  private List<String> streamStore(List<String> storage, StorageSettings settings) throws Exception {
    StoreScript script = new StoreScript(StoreScript.smallStore("atrest-001", "US-IL"), START, 11);
    script.shopper("c-alice", 0).take("A1-1", 1);
    script.shopper("c-bob", 20_000).take("A1-2", 1);
    script.shopper("c-carol", 45_000).take("A1-4", 1);
    StoreLayout layout = FaceCameras.withFaceCameras(script.layout());
    List<SensorEvent> events = noisyFaces(
        FaceCameras.withFaces(script.events(), Map.of(Credential.of("c-alice"), "bio-2026-01")));
    Path store = dir.resolve("store.json");
    StoreLogWriter.writeStore(store, layout);

    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path keyFile = dir.resolve("vault-" + UUID.randomUUID() + ".key");
    Files.write(keyFile, key);
    KeyFileProvider keys = KeyFileProvider.forVaultKeyFile(keyFile);
    KeyFileProvider.create(keyFile.resolveSibling(KeyFileProvider.SUBJECT_KEY_FILE));
    StoreStorage before = DurableStorage.open(settings, layout.storeId());
    try {
      Releases.record(before, layout, keys, List.of(Credential.of("c-alice")), START - 60_000);
    } finally {
      before.close();
    }

    List<String> args = new ArrayList<>(List.of("--store", store.toString(), "--vault-key", keyFile.toString()));
    args.addAll(storage);
    ServerProcess server = ServerProcess.start(List.of(), args);
    try {
      Gateway gateway = new Gateway("cam-gw", events, events.get(events.size() - 1).ts() + 60_000);
      // Sent in steps, as cameras send in real time, so that the tracker knows where Alice is when her faces
      // reach the boundary (a face nobody can be told apart for is removed, however fast the input comes).
      for (int upto = 100; upto < gateway.size() + 100; upto += 100) {
        gateway.sendUntil(server.as(Role.SENSOR_GATEWAY), Math.min(upto, gateway.size()));
        Thread.sleep(100);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (receipts.getReceiptsCount() < 3 && System.nanoTime() < deadline) {
        receipts = ReceiptServiceGrpc.newBlockingStub(server.as(Role.STAFF)).withDeadlineAfter(5, TimeUnit.SECONDS)
            .listReceipts(ListReceiptsRequest.getDefaultInstance());
        if (receipts.getReceiptsCount() < 3) {
          Thread.onSpinWait();
        }
      }
      assertThat(receipts.getReceiptsCount()).as("all three visits settled").isEqualTo(3);
    } finally {
      server.close();
    }
    StoreStorage after = DurableStorage.open(settings, layout.storeId());
    try {
      String alice = keys.subjectKey().subject(Credential.of("c-alice"));
      List<AuditRecord> records = new AuditChain(after, new Subjects(after, keys.subjectKey()), keys.auditKey(),
          AuditCheckpoints.inMemory()).records();
      assertThat(records).as("Alice's faces were used, so sealed in the vault")
          .filteredOn(r -> r.type() == AuditType.CAPTURE).extracting(AuditRecord::subject).contains(alice);
      assertThat(records).as("and destroyed once her visit was settled, the key shredded")
          .filteredOn(r -> r.type() == AuditType.DESTRUCTION && r.subject().equals(alice))
          .anySatisfy(r -> assertThat(r.detail("key_shredded")).isEqualTo("true"));
      assertThat(after.table(BiometricVault.DATA).scan("")).as("no sealed record is left").isEmpty();
      assertThat(after.table(BiometricVault.KEYS).scan("")).isEmpty();
      List<dev.jwo.core.v1.EntryScan> entries = new ArrayList<>();
      for (dev.jwo.core.storage.JournalEntry record
          : after.journal().read(dev.jwo.core.ingest.IngestLog.STREAM, 0, 1_000_000)) {
        dev.jwo.core.ingest.IngestLog.decode(record).stream().filter(m -> m.hasEntry())
            .forEach(m -> entries.add(m.getEntry()));
      }
      assertThat(entries).as("the input journal holds each entry's credential only sealed, with its keyed subject")
          .hasSize(3).allSatisfy(e -> {
            assertThat(e.getCredential()).isEmpty();
            assertThat(e.getSealedCredential().isEmpty()).isFalse();
            assertThat(e.getCredentialSubject()).startsWith("subj:");
          });
    } finally {
      after.close();
    }
    return server.output();
  }

  /** Every face in every frame, replaced by a distinct noisy vector of many digits (as a real embedding is). */
  private List<SensorEvent> noisyFaces(List<SensorEvent> events) {
    Random random = new Random(42);
    List<SensorEvent> out = new ArrayList<>(events.size());
    for (SensorEvent event : events) {
      if (event instanceof FrameEvent frame) {
        List<PersonObservation> people = new ArrayList<>();
        for (PersonObservation p : frame.people()) {
          double[] face = new double[16];
          for (int i = 0; i < face.length; i++) {
            face[i] = random.nextDouble() * 2 - 1;
          }
          faces.add(face);
          people.add(new PersonObservation(p.position(), p.hands(), FeatureVector.of(face)));
        }
        out.add(new FrameEvent(frame.ts(), frame.camera(), people));
      } else {
        out.add(event);
      }
    }
    assertThat(faces).hasSizeGreaterThan(500);
    return out;
  }
}
