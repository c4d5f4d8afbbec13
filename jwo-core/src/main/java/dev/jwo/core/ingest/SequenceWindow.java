package dev.jwo.core.ingest;

import com.google.protobuf.ByteString;
import dev.jwo.core.v1.ReceivedSequences;
import java.util.Arrays;

/**
 * Which of a source's most recent sequence numbers the log has taken: the highest one, and for each of the
 * {@code size} sequences at and below it whether it was taken. A sequence above the highest is new; one within the
 * window was either taken (a duplicate) or not (it arrived out of order, and is new); one below the window cannot be
 * told apart. Marking is order-independent: the window holds every marked sequence within {@code size} of the
 * highest marked one, whatever order they were marked in, so replaying the journal from a checkpoint rebuilds it
 * exactly. Sequences are unsigned. Not thread-safe.
 */
final class SequenceWindow {
  /** Where a sequence stands against the window. */
  enum Standing {
    /** Above the highest taken. */
    ABOVE,
    /** Within the window, not taken yet. */
    MISSING,
    /** Within the window, taken. */
    TAKEN,
    /** Below the window: whether it was taken is no longer known. */
    BELOW
  }

  private final int size;
  /** Bit {@code s & (size - 1)} tells whether sequence {@code s} (within the window) was taken. */
  private final long[] taken;
  private long highest;

  private SequenceWindow(int size, long highest, long[] taken) {
    this.size = size;
    this.highest = highest;
    this.taken = taken;
  }

  /** A window whose source has taken only {@code sequence}. */
  static SequenceWindow startingAt(int size, long sequence) {
    checkSize(size);
    SequenceWindow window = new SequenceWindow(size, sequence, new long[size / 64]);
    window.set(sequence);
    return window;
  }

  /** A window in which every sequence up to {@code highest} counts as taken (what earlier releases recorded). */
  static SequenceWindow allTakenUpTo(int size, long highest) {
    checkSize(size);
    long[] bits = new long[size / 64];
    Arrays.fill(bits, -1L);
    return new SequenceWindow(size, highest, bits);
  }

  /** The window recorded in a checkpoint, in a window of {@code size} (sequences beyond it are forgotten). */
  static SequenceWindow fromProto(int size, ReceivedSequences recorded) {
    checkSize(size);
    long highest = recorded.getHighest();
    SequenceWindow window = new SequenceWindow(size, highest, new long[size / 64]);
    long run = Math.min(recorded.getTakenRun(), size);
    for (long i = 0; i < run; i++) {
      window.set(highest - i);
    }
    ByteString older = recorded.getTakenBefore();
    for (int i = 0; i < older.size() * 8 && run + i < size; i++) {
      if ((older.byteAt(i / 8) & (1 << (i % 8))) != 0) {
        window.set(highest - run - i);
      }
    }
    return window;
  }

  private static void checkSize(int size) {
    if (size < 64 || Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException("a sequence window is a power of two of at least 64, not " + size);
    }
  }

  /** The highest sequence taken. */
  long highest() {
    return highest;
  }

  /** How many sequences the window covers, down from the highest. */
  int size() {
    return size;
  }

  Standing standing(long sequence) {
    if (Long.compareUnsigned(sequence, highest) > 0) {
      return Standing.ABOVE;
    }
    if (Long.compareUnsigned(highest - sequence, size) >= 0) {
      return Standing.BELOW;
    }
    return isSet(sequence) ? Standing.TAKEN : Standing.MISSING;
  }

  /** Records that {@code sequence} was taken; one below the window changes nothing. */
  void mark(long sequence) {
    if (Long.compareUnsigned(sequence, highest) > 0) {
      long ahead = sequence - highest;
      if (Long.compareUnsigned(ahead, size) >= 0) {
        Arrays.fill(taken, 0L);
      } else {
        for (long s = highest + 1; s != sequence; s++) {
          clear(s);
        }
      }
      highest = sequence;
      set(sequence);
    } else if (Long.compareUnsigned(highest - sequence, size) < 0) {
      set(sequence);
    }
  }

  SequenceWindow copy() {
    return new SequenceWindow(size, highest, taken.clone());
  }

  /**
   * The window as a checkpoint records it: the run of taken sequences down from the highest, then a bitmap of the
   * rest of the window (trailing sequences not taken are left out), so a source taken in order costs a few bytes.
   */
  ReceivedSequences toProto() {
    int run = 0;
    while (run < size && isSet(highest - run)) {
      run++;
    }
    int rest = size - run;
    byte[] older = new byte[(rest + 7) / 8];
    int length = 0;
    for (int i = 0; i < rest; i++) {
      if (isSet(highest - run - i)) {
        older[i / 8] |= (byte) (1 << (i % 8));
        length = i / 8 + 1;
      }
    }
    return ReceivedSequences.newBuilder()
        .setHighest(highest)
        .setTakenRun(run)
        .setTakenBefore(ByteString.copyFrom(older, 0, length))
        .build();
  }

  private boolean isSet(long sequence) {
    int bit = (int) (sequence & (size - 1));
    return (taken[bit >>> 6] & (1L << bit)) != 0;
  }

  private void set(long sequence) {
    int bit = (int) (sequence & (size - 1));
    taken[bit >>> 6] |= 1L << bit;
  }

  private void clear(long sequence) {
    int bit = (int) (sequence & (size - 1));
    taken[bit >>> 6] &= ~(1L << bit);
  }
}
