package dev.jwo.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.core.StoreId;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.StreamAppend;
import dev.jwo.core.storage.JournalRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.Random;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up on a data directory that is not (or not only) this store's: a clear failure, and nothing changed. */
class EmbeddedStartupTest {
  private static final StoreId STORE = StoreId.of("store-1");

  @TempDir Path dataDir;

  private Path databaseFile() {
    return dataDir.resolve("jwo-store.mv.db");
  }

  private StoreStorage open(StoreId store) {
    return DurableStorage.open(StorageSettings.embedded(dataDir), store);
  }

  private static JournalRecord record(String text) {
    return new JournalRecord("t", text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aNewDirectoryIsCreatedAndReopenedAsTheSameStore() {
    Path nested = dataDir.resolve("a/b");
    try (StoreStorage storage = DurableStorage.open(StorageSettings.embedded(nested), STORE)) {
      storage.journal().append(StreamAppend.of("audit", 0, record("x")));
      assertThat(storage.describe()).contains("embedded database in").contains(nested.toString());
    }
    assertThat(nested.resolve("jwo-store.mv.db")).isRegularFile();
    try (StoreStorage storage = DurableStorage.open(StorageSettings.embedded(nested), STORE)) {
      assertThat(storage.journal().endPosition("audit")).isEqualTo(1);
    }
  }

  @Test
  void garbageWhereTheDatabaseFileShouldBeFailsAndIsLeftAlone() throws Exception {
    byte[] garbage = new byte[64 * 1024];
    new Random(42).nextBytes(garbage);
    Files.write(databaseFile(), garbage);

    assertThatThrownBy(() -> open(STORE))
        .isInstanceOf(StorageStartupException.class)
        .hasMessageContaining(dataDir.toString())
        .hasMessageContaining("jwo-store.mv.db is corrupt or not a database file");
    assertThat(Files.readAllBytes(databaseFile())).isEqualTo(garbage);
  }

  @Test
  void aTextFileWhereTheDatabaseFileShouldBeFails() throws Exception {
    Files.writeString(databaseFile(), "these are my notes, not a database\n".repeat(200));

    assertThatThrownBy(() -> open(STORE))
        .isInstanceOf(StorageStartupException.class)
        .hasMessageContaining(dataDir.toString())
        .hasMessageContaining("jwo-store.mv.db");
    assertThat(Files.readString(databaseFile())).startsWith("these are my notes");
  }

  @Test
  void aDatabaseOfAnotherProgramFailsAndKeepsItsTables() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("jwo-store"), "jwo", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(100))");
      s.execute("INSERT INTO customers VALUES (1, 'Ada')");
    }

    assertThatThrownBy(() -> open(STORE))
        .isInstanceOf(StorageStartupException.class)
        .hasMessageContaining(dataDir.toString())
        .hasMessageContaining("another program")
        .hasMessageContaining("customers");
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("jwo-store"), "jwo", "");
        Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT name FROM customers")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("Ada");
    }
  }

  @Test
  void aDatabaseOfAnotherProgramWithItsOwnUserFails() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("jwo-store"), "sa", "pw");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE orders (id INT PRIMARY KEY)");
    }

    assertThatThrownBy(() -> open(STORE))
        .isInstanceOf(StorageStartupException.class)
        .hasMessageContaining(dataDir.toString())
        .hasMessageContaining("another program");
  }

  @Test
  void aSchemaWrittenByANewerReleaseFails() {
    open(STORE).close();
    Flyway.configure()
        .dataSource("jdbc:h2:file:" + dataDir.resolve("jwo-store"), "jwo", "")
        .table("jwo_schema_history")
        .locations("classpath:dev/jwo/storage/migration", "classpath:dev/jwo/storage/future")
        .placeholders(Map.of("binary", "VARBINARY(1000000)", "ordered", ""))
        .load()
        .migrate();

    assertThatThrownBy(() -> open(STORE))
        .isInstanceOf(StorageStartupException.class)
        .hasMessageContaining(dataDir.toString())
        .hasMessageContaining("schema version 99")
        .hasMessageContaining("newer jwo release")
        .hasMessageContaining("knows versions up to 1");
  }

  @Test
  void theDataOfAnotherStoreFails() {
    try (StoreStorage storage = open(StoreId.of("store-a"))) {
      storage.journal().append(StreamAppend.atEnd("audit", record("a")));
    }

    assertThatThrownBy(() -> open(StoreId.of("store-b")))
        .isInstanceOf(StorageStartupException.class)
        .hasMessageContaining(dataDir.toString())
        .hasMessageContaining("holds the data of store 'store-a', not of store 'store-b'");
    try (StoreStorage storage = open(StoreId.of("store-a"))) {
      assertThat(storage.journal().endPosition("audit")).isEqualTo(1);
    }
  }

  @Test
  void aDataDirectoryThatIsAFileFails() throws Exception {
    Path file = Files.writeString(dataDir.resolve("not-a-dir"), "x");
    assertThatThrownBy(() -> DurableStorage.open(StorageSettings.embedded(file), STORE))
        .isInstanceOf(StorageStartupException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("is not a directory");
  }

  @Test
  void aDirectoryWhereTheDatabaseFileShouldBeFails() throws Exception {
    Files.createDirectory(databaseFile());
    assertThatThrownBy(() -> open(STORE))
        .isInstanceOf(StorageStartupException.class)
        .hasMessageContaining(dataDir.toString())
        .hasMessageContaining("jwo-store.mv.db is not a regular file");
  }

  @Test
  void aDirectoryAlreadyOpenInThisProcessIsRefused() {
    try (StoreStorage first = open(STORE)) {
      assertThatThrownBy(() -> open(STORE))
          .isInstanceOf(StorageStartupException.class)
          .hasMessageContaining(dataDir.toString())
          .hasMessageContaining("already open");
      first.journal().append(StreamAppend.atEnd("audit", record("still works")));
    }
    open(STORE).close();
  }

  @Test
  void otherFilesInTheDataDirectoryAreLeftAlone() throws Exception {
    Path notes = Files.writeString(dataDir.resolve("notes.txt"), "mine");
    open(STORE).close();
    assertThat(Files.readString(notes)).isEqualTo("mine");
  }
}
