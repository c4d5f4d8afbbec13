package dev.jwo.storage;

import dev.jwo.core.StoreId;
import dev.jwo.core.storage.EventJournal;
import dev.jwo.core.storage.JournalRecord;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.StreamAppend;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A process that {@link StorageKillTest} kills: appends to cart streams from several threads (and writes a row per
 * cart), printing {@code ack <stream> <position>} for every append the storage acknowledged, until it is killed.
 *
 * <p>Arguments: {@code embedded <data directory>} or {@code postgres <jdbc url> <user>}.
 */
public final class AppendUntilKilled {
  private AppendUntilKilled() {}

  public static void main(String[] args) throws Exception {
    StorageSettings settings = args[0].equals("embedded")
        ? StorageSettings.embedded(Path.of(args[1]))
        : StorageSettings.postgres(args[1], args[2], "", 4);
    StoreStorage storage = DurableStorage.open(settings, StoreId.of("kill-store"));
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    EventJournal journal = storage.journal();
    KeyedTable carts = storage.table("carts");
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      int thread = t;
      threads[t] = new Thread(() -> {
        for (int i = 0; ; i++) {
          String stream = "cart/t" + thread + "-" + (i / 50);
          long position = i % 50;
          JournalRecord line = new JournalRecord("line", (stream + "@" + position).getBytes(StandardCharsets.UTF_8));
          journal.appendAll(List.of(StreamAppend.of(stream, position, line)));
          carts.put(stream, Long.toString(position).getBytes(StandardCharsets.UTF_8), position);
          synchronized (out) {
            out.println("ack " + stream + " " + position);
            out.flush();
          }
        }
      });
      threads[t].start();
    }
    synchronized (out) {
      out.println("started");
      out.flush();
    }
    for (Thread thread : threads) {
      thread.join();
    }
  }
}
