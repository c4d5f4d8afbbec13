package dev.jwo.compliance.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jwo.compliance.internal.Canonical;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checkpoints appended to a file of their own ({@code audit-checkpoints-<store>.jsonl} in a folder), one JSON line
 * each, synced to disk before {@link #append} returns. Put the folder on other media than the database, ideally
 * append-only for the server's user ({@code chattr +a}). A line cut short by a crash is skipped.
 */
public final class FileAuditCheckpoints implements AuditCheckpoints {
  private final Path file;

  private FileAuditCheckpoints(Path file) {
    this.file = file;
  }

  /** The checkpoints of store {@code storeId} in {@code folder} (created when the first is written). */
  public static FileAuditCheckpoints in(Path folder, String storeId) {
    return new FileAuditCheckpoints(folder.resolve("audit-checkpoints-" + storeId + ".jsonl"));
  }

  @Override
  public synchronized void append(AuditCheckpoint checkpoint) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("count", checkpoint.count());
    line.put("head", checkpoint.headHash());
    line.put("ts", checkpoint.ts());
    line.put("mac", checkpoint.mac());
    byte[] bytes = (new String(Canonical.json(line), StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      boolean cutShort = false;
      if (Files.exists(file) && Files.size(file) > 0) {
        try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ)) {
          ByteBuffer last = ByteBuffer.allocate(1);
          reader.read(last, reader.size() - 1);
          cutShort = last.get(0) != '\n';
        }
      }
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND)) {
        if (cutShort) {
          channel.write(ByteBuffer.wrap(new byte[] {'\n'})); // end a line cut short by a crash
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append an audit checkpoint to " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized Optional<AuditCheckpoint> latest() {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the audit checkpoints in " + file + ": " + e.getMessage(), e);
    }
    for (int i = lines.size() - 1; i >= 0; i--) {
      try {
        JsonNode json = Canonical.read(lines.get(i).getBytes(StandardCharsets.UTF_8));
        return Optional.of(new AuditCheckpoint(json.path("count").asLong(), Canonical.text(json, "head", ""),
            json.path("ts").asLong(), Canonical.text(json, "mac", "")));
      } catch (IllegalArgumentException e) {
        // a line cut short by a crash, or not a checkpoint: the one before it is the latest
      }
    }
    return Optional.empty();
  }

  @Override
  public String describe() {
    return "checkpoint file " + file;
  }
}
