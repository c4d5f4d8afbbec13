package dev.jwo.core.storage;

/**
 * An append expected a stream to end at one position and it ends at another: someone else appended first, or
 * the records were already appended (as when a recovering server repeats its work). Not retriable as is: read
 * the stream, then decide.
 */
public final class JournalConflictException extends StorageException {
  private static final long serialVersionUID = 1L;

  private final String stream;
  private final long expectedPosition;
  private final long actualPosition;

  public JournalConflictException(String stream, long expectedPosition, long actualPosition) {
    super("stream '" + stream + "' ends at position " + actualPosition + ", the append expected "
        + expectedPosition, false);
    this.stream = stream;
    this.expectedPosition = expectedPosition;
    this.actualPosition = actualPosition;
  }

  public String stream() {
    return stream;
  }

  public long expectedPosition() {
    return expectedPosition;
  }

  public long actualPosition() {
    return actualPosition;
  }
}
