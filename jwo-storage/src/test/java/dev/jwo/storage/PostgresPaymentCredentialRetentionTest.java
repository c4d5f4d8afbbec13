package dev.jwo.storage;

import dev.jwo.core.StoreId;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.testing.compliance.PaymentCredentialRetentionKit;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** No raw credential rests in any PostgreSQL row once the payment records' retention is over. */
class PostgresPaymentCredentialRetentionTest extends PaymentCredentialRetentionKit {
  private static PostgresTestDatabase database;

  private @Nullable StorageSettings settings;

  @BeforeAll
  static void createDatabase() {
    database = PostgresTestDatabase.create();
  }

  @AfterAll
  static void dropDatabase() {
    database.close();
  }

  @Override
  protected StoreStorage open() {
    if (settings == null) {
      settings = database.newSchema();
    }
    return DurableStorage.open(settings, StoreId.of("kit-store"));
  }

  /** Every column of every row of every table of the test database, outside PostgreSQL's own schemas. */
  @Override
  protected byte[] atRest() throws Exception {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    try (Connection c = DriverManager.getConnection(database.url(), PostgresTestDatabase.USER,
        PostgresTestDatabase.PASSWORD); Statement sql = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = sql.executeQuery("SELECT quote_ident(table_schema) || '.' || quote_ident(table_name)"
          + " FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (String table : tables) {
        try (ResultSet rs = sql.executeQuery("SELECT * FROM " + table)) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            for (int i = 1; i <= columns; i++) {
              Object value = rs.getObject(i);
              all.write(value instanceof byte[] bytes ? bytes
                  : String.valueOf(value).getBytes(StandardCharsets.UTF_8));
            }
          }
        }
      }
    }
    return all.toByteArray();
  }
}
