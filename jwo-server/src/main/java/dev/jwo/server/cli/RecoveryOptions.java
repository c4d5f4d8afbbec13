package dev.jwo.server.cli;

import com.google.inject.Module;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.core.ingest.IngestSettings;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How often, in event time, a store records where a restart replays its input from (a checkpoint), and how often
 * it also snapshots its pipeline's state so that a restart replays only the input after the snapshot.
 */
final class RecoveryOptions {
  @Option(names = "--checkpoint-every", paramLabel = "DURATION", defaultValue = "30s",
      description = "how often, in event time, the store records the point a restart replays its input from"
          + " (default ${DEFAULT-VALUE})")
  String checkpointEvery = "30s";

  @Option(names = "--snapshot-every", paramLabel = "DURATION", defaultValue = "2m",
      description = "how often, in event time, a checkpoint also snapshots the pipeline's state, so that a restart"
          + " replays only the input after it; 0 for never: a restart then replays what the stages need, all the"
          + " input since the store was last empty (default ${DEFAULT-VALUE})")
  String snapshotEvery = "2m";

  /** The ingest settings these options choose. */
  IngestSettings settings() {
    Duration snapshots = snapshotEvery.strip().equals("0") ? Duration.ZERO
        : DurationText.parse("--snapshot-every", snapshotEvery);
    Duration checkpoints = DurationText.parse("--checkpoint-every", checkpointEvery);
    if (checkpoints.isZero()) {
      throw new IllegalArgumentException("--checkpoint-every must be longer than 0");
    }
    return IngestSettings.DEFAULTS.withCheckpointEvery(checkpoints).withSnapshotEvery(snapshots);
  }

  /** Binds the chosen settings. */
  Module module() {
    IngestSettings settings = settings();
    return binder -> OptionalBinder.newOptionalBinder(binder, IngestSettings.class).setBinding()
        .toInstance(settings);
  }
}
