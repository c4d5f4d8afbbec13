package dev.jwo.core.pipeline;

import com.google.protobuf.ByteString;

/**
 * A pipeline stage ({@link SensorEventHandler}) whose state can be written into a snapshot of the pipeline and read
 * back, so that a restart replays only the input after the snapshot instead of all the input
 * {@link SensorEventHandler#needsInputSince} asks for. The store takes snapshots only when every stage of its
 * pipeline implements this or needs no earlier input (its {@code needsInputSince(ts)} answers {@code ts}: what it
 * keeps is in storage); otherwise it restarts as {@code needsInputSince} says.
 *
 * <p>Both methods are called on the pipeline's thread between two events. A stage restored from its state must
 * then behave exactly as the stage it was exported from would have (same calls, same effects): a restart must give
 * the receipts an uninterrupted run gives. The state must hold no raw credential and no biometric value: admissions
 * go through the {@link SnapshotSeal}, features are kept only as the journal keeps them, or not at all.
 */
public interface SnapshotStage extends SnapshotPart {

  /** The stage's name in snapshots: stable across releases, unique in the pipeline. */
  String snapshotName();

  /**
   * Whether the stage can export its state: false when a replaceable part of it keeps state it cannot export
   * (a retailer's own detector or tracker that is no {@link SnapshotPart}); the store then takes no snapshots.
   */
  default boolean canSnapshot() {
    return true;
  }

  /** The version of the format {@link #exportState} writes; {@link #restoreState} reads it and older ones. */
  @Override
  int snapshotVersion();

  /** The stage's state now. */
  @Override
  ByteString exportState(SnapshotSeal seal);

  /**
   * Replaces the stage's state with one {@linkplain #exportState exported} in format {@code version}; called before
   * the stage sees any event.
   *
   * @throws IllegalArgumentException if the state cannot be read (an unknown version or damaged bytes)
   */
  @Override
  void restoreState(int version, ByteString state, SnapshotSeal seal);
}
