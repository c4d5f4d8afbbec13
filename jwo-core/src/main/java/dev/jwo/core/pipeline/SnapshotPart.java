package dev.jwo.core.pipeline;

import com.google.protobuf.ByteString;

/**
 * A part of a pipeline stage whose state can be written into the stage's snapshot and read back: a replaceable
 * piece of a {@link SnapshotStage} (such as its detector or tracker) that keeps state of its own. A stage whose part
 * does not implement this cannot be snapshotted ({@link SnapshotStage#canSnapshot()}).
 *
 * <p>The promises of {@link SnapshotStage} hold for a part too: called on the pipeline's thread between two events,
 * a part restored from its state behaves exactly as the one it was exported from, and the state holds no raw
 * credential and no biometric value.
 */
public interface SnapshotPart {

  /** The version of the format {@link #exportState} writes; {@link #restoreState} reads it and older ones. */
  int snapshotVersion();

  /** The part's state now. */
  ByteString exportState(SnapshotSeal seal);

  /**
   * Replaces the part's state with one {@linkplain #exportState exported} in format {@code version}.
   *
   * @throws IllegalArgumentException if the state cannot be read (an unknown version or damaged bytes)
   */
  void restoreState(int version, ByteString state, SnapshotSeal seal);
}
