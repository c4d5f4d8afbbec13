package dev.jwo.core.ingest;

import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.grpc.SensorEventProtos;
import dev.jwo.core.pipeline.Rejection;
import dev.jwo.core.pipeline.RejectionReason;
import dev.jwo.core.pipeline.StorePipeline;
import dev.jwo.core.v1.PersonDetection;
import dev.jwo.core.v1.SensorEventMessage;
import java.time.Clock;
import org.jspecify.annotations.Nullable;

/**
 * Checks a gateway's message before it is journaled: its size, source and sequence, its event time against the
 * store's clock and the newest event the store has seen, and the event itself against the layout and the input
 * limits (through {@link StorePipeline#check}). What fails is never journaled.
 */
final class MessageScreen {
  /** Sources whose name starts with this are the store's own (e.g. admissions through its API). */
  static final String RESERVED_PREFIX = "jwo:";

  private static final int MAX_SOURCE_LENGTH = 64;

  private final IngestSettings settings;
  private final StorePipeline pipeline;
  private final Clock clock;

  MessageScreen(IngestSettings settings, StorePipeline pipeline, Clock clock) {
    this.settings = settings;
    this.pipeline = pipeline;
    this.clock = clock;
  }

  /** What the screen made of a message: the event it carries (none for a heartbeat), or why it is refused. */
  record Verdict(@Nullable SensorEvent event, @Nullable Rejection rejection) {
    static Verdict rejected(RejectionReason reason, String message) {
      return new Verdict(null, new Rejection(reason, message));
    }
  }

  /**
   * @param lastSequence the highest sequence the message's source had accepted, if any (the message's own was not
   *     accepted, but may be below it)
   * @param knownSources how many sources the store keeps sequences for
   * @param ownSource whether the store itself made the message (reserved source names are allowed then)
   * @param newestAccepted the newest event time of the messages accepted before this one and not yet processed
   */
  Verdict check(SensorEventMessage message, @Nullable Long lastSequence, int knownSources, boolean ownSource,
      long newestAccepted) {
    int size = message.getSerializedSize();
    if (size > settings.maxMessageBytes()) {
      return Verdict.rejected(RejectionReason.TOO_LARGE, "the message has " + size + " bytes; the store takes at most "
          + settings.maxMessageBytes() + " per message (split large frames)");
    }
    Rejection sourceProblem = checkSource(message, lastSequence, knownSources, ownSource);
    if (sourceProblem != null) {
      return new Verdict(null, sourceProblem);
    }
    if (message.getKindCase() == SensorEventMessage.KindCase.KIND_NOT_SET) {
      return Verdict.rejected(RejectionReason.MALFORMED,
          "the message carries no event (set entry, exit, weight, frame or heartbeat)");
    }
    Rejection timeProblem = checkTime(message.getTsMs(), newestAccepted);
    if (timeProblem != null) {
      return new Verdict(null, timeProblem);
    }
    if (message.getKindCase() == SensorEventMessage.KindCase.HEARTBEAT) {
      return new Verdict(null, null);
    }
    if (message.hasFrame() && !ownSource) {
      for (PersonDetection person : message.getFrame().getPeopleList()) {
        if (!person.getSealedFeatures().isEmpty() || person.hasRemovedFeatures()) {
          return Verdict.rejected(RejectionReason.INVALID_VALUE, "a person detection sets `sealed_features` or "
              + "`removed_features`, which only the store itself writes");
        }
      }
    }
    if (message.hasEntry() && (!message.getEntry().getSealedCredential().isEmpty()
        || !message.getEntry().getCredentialSubject().isEmpty())) {
      return Verdict.rejected(RejectionReason.INVALID_VALUE, "an entry sets `sealed_credential` or "
          + "`credential_subject`, which only the store itself writes; send the credential in `credential`");
    }
    SensorEvent event;
    try {
      event = SensorEventProtos.fromProto(message);
    } catch (IllegalArgumentException e) {
      return Verdict.rejected(RejectionReason.MALFORMED, String.valueOf(e.getMessage()));
    }
    return new Verdict(event, pipeline.check(event).orElse(null));
  }

  private @Nullable Rejection checkSource(
      SensorEventMessage message, @Nullable Long lastSequence, int knownSources, boolean ownSource) {
    String source = message.getSource();
    if (source.isEmpty()) {
      return new Rejection(RejectionReason.BAD_SOURCE,
          "the message names no source; set `source` to the gateway's name and number its messages in `sequence`");
    }
    if (!validName(source)) {
      return new Rejection(RejectionReason.BAD_SOURCE, "the source name is not 1 to " + MAX_SOURCE_LENGTH
          + " printable ASCII characters without spaces");
    }
    if (!ownSource && source.startsWith(RESERVED_PREFIX)) {
      return new Rejection(RejectionReason.BAD_SOURCE,
          "source '" + source + "' is reserved for the store itself (names starting with '" + RESERVED_PREFIX + "')");
    }
    long sequence = message.getSequence();
    if (lastSequence == null) {
      if (knownSources >= settings.maxSources()) {
        return new Rejection(RejectionReason.BAD_SOURCE, "the store already takes input from "
            + settings.maxSources() + " sources; source '" + source + "' is one too many");
      }
      if (sequence < 0) {
        return new Rejection(RejectionReason.BAD_SOURCE, "sequence " + Long.toUnsignedString(sequence)
            + " of new source '" + source + "' is implausible (a source starts below 2^63)");
      }
    } else if (Long.compareUnsigned(sequence, lastSequence) > 0
        && Long.compareUnsigned(sequence - lastSequence, settings.maxSequenceJump()) > 0) {
      return new Rejection(RejectionReason.BAD_SOURCE, "sequence " + Long.toUnsignedString(sequence) + " of source '"
          + source + "' jumps more than " + settings.maxSequenceJump() + " ahead of its last accepted one, "
          + Long.toUnsignedString(lastSequence));
    }
    return null;
  }

  private @Nullable Rejection checkTime(long ts, long newestAccepted) {
    if (ts <= 0) {
      return new Rejection(RejectionReason.INVALID_VALUE, "the message has no valid event time: ts_ms " + ts);
    }
    long now = clock.millis();
    long clockLead = settings.maxClockLead().toMillis();
    if (ts > now + clockLead) {
      return new Rejection(RejectionReason.AHEAD_OF_TIME, "event time " + ts + " is " + (ts - now)
          + " ms ahead of the store's clock (at most " + clockLead + " ms are taken); check the gateway's clock");
    }
    long newest = Math.max(pipeline.newestSeen().orElse(Long.MIN_VALUE), newestAccepted);
    long storeLead = settings.maxStoreLead().toMillis();
    if (newest != Long.MIN_VALUE && ts > newest + storeLead && ts < now - clockLead) {
      return new Rejection(RejectionReason.AHEAD_OF_TIME, "event time " + ts + " is " + (ts - newest)
          + " ms ahead of the newest event the store has seen (at most " + storeLead
          + " ms are taken unless the event is as recent as the store's clock)");
    }
    return null;
  }

  private static boolean validName(String source) {
    if (source.length() > MAX_SOURCE_LENGTH) {
      return false;
    }
    for (int i = 0; i < source.length(); i++) {
      char c = source.charAt(i);
      if (c <= ' ' || c > '~') {
        return false;
      }
    }
    return true;
  }
}
