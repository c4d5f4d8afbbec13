package dev.jwo.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.core.StoreId;
import dev.jwo.core.storage.JournalEntry;
import dev.jwo.core.storage.StoreStorage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a process that appends (SIGKILL, no chance to close anything) and reopens its storage: every append it was
 * told succeeded must be there, and nothing else half-written.
 */
class StorageKillTest {
  private static final int ACKS_BEFORE_KILL = 800;

  @TempDir Path dataDir;

  @Test
  void everyAcknowledgedAppendSurvivesSigkillOfTheEmbeddedStore() throws Exception {
    Map<String, Long> acked = runAndKill(List.of("embedded", dataDir.toString()));
    try (StoreStorage storage = DurableStorage.open(StorageSettings.embedded(dataDir), StoreId.of("kill-store"))) {
      assertAcknowledgedAppendsArePresent(storage, acked);
    }
  }

  @Test
  void everyAcknowledgedAppendSurvivesSigkillWithPostgres() throws Exception {
    try (PostgresTestDatabase database = PostgresTestDatabase.create()) {
      Map<String, Long> acked = runAndKill(List.of("postgres", database.url(), PostgresTestDatabase.USER));
      try (StoreStorage storage = DurableStorage.open(database.settings(), StoreId.of("kill-store"))) {
        assertAcknowledgedAppendsArePresent(storage, acked);
      }
    }
  }

  /** Runs {@link AppendUntilKilled}, kills it after enough acknowledgements, returns the last acked position per stream. */
  private static Map<String, Long> runAndKill(List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        AppendUntilKilled.class.getName()));
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    Map<String, Long> acked = new HashMap<>();
    int acks = 0;
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("ack ")) {
          int space = line.lastIndexOf(' ');
          acked.merge(line.substring(4, space), Long.parseLong(line.substring(space + 1)), Math::max);
          if (++acks == ACKS_BEFORE_KILL) {
            process.destroyForcibly();
            break;
          }
        }
      }
    } finally {
      process.destroyForcibly();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(acks).as("acknowledgements before the child ended").isEqualTo(ACKS_BEFORE_KILL);
    assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    return acked;
  }

  private static void assertAcknowledgedAppendsArePresent(StoreStorage storage, Map<String, Long> acked) {
    assertThat(acked).isNotEmpty();
    for (Map.Entry<String, Long> e : acked.entrySet()) {
      String stream = e.getKey();
      List<JournalEntry> entries = storage.journal().read(stream, 0, 100);
      assertThat(entries.size()).as("records of %s", stream).isGreaterThan(e.getValue().intValue());
      for (JournalEntry entry : entries) {
        assertThat(new String(entry.record().payload(), StandardCharsets.UTF_8))
            .isEqualTo(stream + "@" + entry.position());
      }
      long row = Long.parseLong(new String(storage.table("carts").get(stream).orElseThrow().value(),
          StandardCharsets.UTF_8));
      assertThat(row).as("row of %s", stream).isGreaterThanOrEqualTo(e.getValue());
    }
  }
}
