package dev.jwo.server.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Keeps one process at a time in a data folder: an exclusive lock on {@value #FILE} in the folder, which names the
 * process holding it, so that a second {@code serve} on the same folder is refused with who holds it instead of a
 * database error. The operating system releases the lock when the process ends, however it ends.
 */
final class DataFolderLock implements AutoCloseable {
  static final String FILE = "jwo.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataFolderLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks {@code folder} (created if missing) for this process.
   *
   * @throws IllegalStateException if another process holds it, naming that process
   */
  static DataFolderLock acquire(Path folder, String command) throws IOException {
    Files.createDirectories(folder);
    Path file = folder.resolve(FILE);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
      channel.close();
      throw new IllegalStateException("the data folder " + folder.toAbsolutePath() + " is in use by "
          + (holder.isEmpty() ? "another process" : holder)
          + "; stop that process first, or give this one another --data folder");
    }
    ProcessHandle self = ProcessHandle.current();
    String holder = "process " + self.pid() + " (" + command + ", started "
        + self.info().startInstant().orElse(Instant.now()) + ")\n";
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
    channel.force(false);
    return new DataFolderLock(channel, lock);
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
