package dev.jwo.core.ingest;

import java.time.Duration;
import java.util.Objects;

/**
 * How much the {@link IngestLog} trusts a gateway. Every message is checked against these bounds before it is
 * journaled; one beyond them is rejected with the bound named, counted, and never journaled, so it can neither stop
 * nor poison the store.
 *
 * @param maxMessageBytes the largest message taken, serialized
 * @param maxClockLead how far ahead of the store's clock an event time may be (gateways' clocks are synchronised;
 *     an event from the future would make every other gateway's events late)
 * @param maxStoreLead how far ahead of the newest event time the store has seen an event may be, unless it is
 *     also within {@code maxClockLead} of the store's clock (a store that was idle overnight takes the morning's
 *     first events; a replayed recording cannot be thrown years ahead)
 * @param maxSequenceJump how far a source's sequence may jump ahead of the last one it had accepted; a new source
 *     may start anywhere below 2^63
 * @param maxSources how many distinct sources the store keeps sequences for
 * @param stallAfter how long input may wait without the writer making progress before the store reports itself
 *     not serving
 * @param rejectionLogInterval how often, at most, one kind of rejection is logged (every rejection is counted)
 * @param checkpointEvery how often, in event time, the log records the point a restart replays from
 * @param inputRetention how long journaled input is kept once a restart no longer needs it (for disputes and
 *     reviews); older input is discarded
 * @param sequenceWindow how many of a source's sequences, down from its newest accepted one, the log remembers
 *     as taken or not (a power of two, at least 64): a message that arrives out of order within it is taken if it
 *     is new and recognised if not; one below it is rejected ({@code SEQUENCE_TOO_OLD})
 * @param snapshotEvery how often, in event time, the log also snapshots the pipeline's state (with a checkpoint,
 *     so at least {@code checkpointEvery} apart), when every stage can be snapshotted: a restart then replays only
 *     the input since the latest snapshot; zero for never
 */
public record IngestSettings(
    int maxMessageBytes,
    Duration maxClockLead,
    Duration maxStoreLead,
    long maxSequenceJump,
    int maxSources,
    Duration stallAfter,
    Duration rejectionLogInterval,
    Duration checkpointEvery,
    Duration inputRetention,
    int sequenceWindow,
    Duration snapshotEvery) {

  /**
   * 256 KiB, 2 s, 60 s, a million, 10,000 sources, 10 s, a minute, 30 s, three days, 4,096 sequences, a snapshot
   * every 2 minutes.
   */
  public static final IngestSettings DEFAULTS = new IngestSettings(262_144, Duration.ofSeconds(2),
      Duration.ofSeconds(60), 1_000_000, 10_000, Duration.ofSeconds(10), Duration.ofMinutes(1),
      Duration.ofSeconds(30), Duration.ofDays(3), 4_096, Duration.ofMinutes(2));

  public IngestSettings {
    Objects.requireNonNull(maxClockLead, "maxClockLead");
    Objects.requireNonNull(maxStoreLead, "maxStoreLead");
    Objects.requireNonNull(stallAfter, "stallAfter");
    Objects.requireNonNull(rejectionLogInterval, "rejectionLogInterval");
    Objects.requireNonNull(checkpointEvery, "checkpointEvery");
    Objects.requireNonNull(inputRetention, "inputRetention");
    Objects.requireNonNull(snapshotEvery, "snapshotEvery");
    if (maxMessageBytes < 1 || maxSequenceJump < 1 || maxSources < 1) {
      throw new IllegalArgumentException("message size, sequence jump and source limits must be positive");
    }
    if (maxClockLead.isNegative() || maxStoreLead.isNegative() || stallAfter.isNegative() || stallAfter.isZero()
        || rejectionLogInterval.isNegative() || checkpointEvery.isNegative() || checkpointEvery.isZero()
        || inputRetention.isNegative() || snapshotEvery.isNegative()) {
      throw new IllegalArgumentException("ingest durations must not be negative, and the stall time must be positive");
    }
    if (sequenceWindow < 64 || Integer.bitCount(sequenceWindow) != 1) {
      throw new IllegalArgumentException("the sequence window must be a power of two of at least 64, not "
          + sequenceWindow);
    }
  }

  /** The same settings with another input retention. */
  public IngestSettings withInputRetention(Duration retention) {
    return new IngestSettings(maxMessageBytes, maxClockLead, maxStoreLead, maxSequenceJump, maxSources, stallAfter,
        rejectionLogInterval, checkpointEvery, retention, sequenceWindow, snapshotEvery);
  }

  /** The same settings with another checkpoint interval. */
  public IngestSettings withCheckpointEvery(Duration every) {
    return new IngestSettings(maxMessageBytes, maxClockLead, maxStoreLead, maxSequenceJump, maxSources, stallAfter,
        rejectionLogInterval, every, inputRetention, sequenceWindow, snapshotEvery);
  }

  /** The same settings with another sequence window. */
  public IngestSettings withSequenceWindow(int window) {
    return new IngestSettings(maxMessageBytes, maxClockLead, maxStoreLead, maxSequenceJump, maxSources, stallAfter,
        rejectionLogInterval, checkpointEvery, inputRetention, window, snapshotEvery);
  }

  /** The same settings with another snapshot interval (zero: no snapshots). */
  public IngestSettings withSnapshotEvery(Duration every) {
    return new IngestSettings(maxMessageBytes, maxClockLead, maxStoreLead, maxSequenceJump, maxSources, stallAfter,
        rejectionLogInterval, checkpointEvery, inputRetention, sequenceWindow, every);
  }
}
