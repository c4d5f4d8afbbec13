package dev.jwo.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.core.StoreId;
import dev.jwo.core.storage.JournalRecord;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.StreamAppend;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Start-up against PostgreSQL: migrations, the store's identity, foreign tables, an unreachable server. */
class PostgresStartupTest {
  private static PostgresTestDatabase database;

  @BeforeAll
  static void createDatabase() {
    database = PostgresTestDatabase.create();
  }

  @AfterAll
  static void dropDatabase() {
    database.close();
  }

  @Test
  void theSchemaIsCreatedOnceAndReopenedAsTheSameStore() {
    StorageSettings settings = database.newSchema();
    try (StoreStorage storage = DurableStorage.open(settings, StoreId.of("pg-1"))) {
      storage.journal().append(StreamAppend.atEnd("audit", new JournalRecord("t", new byte[] {7})));
      assertThat(storage.describe()).startsWith("PostgreSQL at jdbc:postgresql://").doesNotContain("currentSchema");
    }
    try (StoreStorage storage = DurableStorage.open(settings, StoreId.of("pg-1"))) {
      assertThat(storage.journal().endPosition("audit")).isEqualTo(1);
    }
    assertThatThrownBy(() -> DurableStorage.open(settings, StoreId.of("pg-2")))
        .isInstanceOf(StorageStartupException.class)
        .hasMessageContaining("PostgreSQL at " + database.url())
        .hasMessageContaining("holds the data of store 'pg-1', not of store 'pg-2'");
  }

  @Test
  void aSchemaWithTablesOfAnotherProgramFails() {
    StorageSettings settings = database.newSchema();
    String schema = ((StorageSettings.Postgres) settings).jdbcUrl().replaceAll(".*currentSchema=", "");
    database.execute("CREATE TABLE " + schema + ".invoices (id INT PRIMARY KEY)");

    assertThatThrownBy(() -> DurableStorage.open(settings, StoreId.of("pg-1")))
        .isInstanceOf(StorageStartupException.class)
        .hasMessageContaining("another program (tables invoices)");
  }

  @Test
  void anUnreachableServerFailsSayingSo() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    StorageSettings settings = StorageSettings.postgres("jdbc:postgresql://127.0.0.1:" + port + "/store?connectTimeout=2",
        "jwo", "s3cret-Password", 2);

    assertThatThrownBy(() -> DurableStorage.open(settings, StoreId.of("pg-1")))
        .isInstanceOfSatisfying(StorageStartupException.class, e -> assertThat(e.isRetriable()).isTrue())
        .hasMessageContaining("PostgreSQL at jdbc:postgresql://127.0.0.1:" + port + "/store")
        .hasMessageContaining("is not reachable")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void aMissingDatabaseFailsSayingSo() {
    String url = database.url().substring(0, database.url().lastIndexOf('/') + 1) + "jwo_no_such_database";
    assertThatThrownBy(() -> DurableStorage.open(
            StorageSettings.postgres(url, PostgresTestDatabase.USER, PostgresTestDatabase.PASSWORD, 2),
            StoreId.of("pg-1")))
        .isInstanceOf(StorageStartupException.class)
        .hasMessageContaining("has no such database");
  }
}
