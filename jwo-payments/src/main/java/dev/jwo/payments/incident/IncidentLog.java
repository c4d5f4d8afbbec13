package dev.jwo.payments.incident;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.retention.TimedRecords;
import dev.jwo.core.GateId;
import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;
import dev.jwo.core.grpc.SensorEventProtos;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.KeyedValue;
import dev.jwo.core.storage.StorageException;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.VersionConflictException;
import dev.jwo.payments.PaymentSettings;
import dev.jwo.payments.Receipt;
import dev.jwo.payments.ReceiptBook;
import dev.jwo.payments.settlement.VisitPayments;
import dev.jwo.payments.v1.Incident;
import dev.jwo.payments.v1.IncidentKind;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The store's incidents, each recorded once in table {@value #TABLE} under a stable id (so an incident seen again
 * when input is replayed after a restart is recognised, not repeated), counted in {@code jwo.incidents{kind}}, and
 * told to subscribers as it is recorded.
 *
 * <ul>
 *   <li><b>Tailgating</b> ({@link #tailgating}): a track crossed an entry gate inward with no place left in any
 *       admitted party; the vision module tells it.
 *   <li><b>Unpaid exit</b>: a party left with items and its visit could not be charged (the card was declined at
 *       entry or for the total, or the payment was refused or failed for good); found in the receipts as they are
 *       recorded. Or a person who came in without a credential (a tailgating incident) walked out
 *       ({@link #exitWithoutCredential}): there is no visit to charge whatever they took.
 * </ul>
 * Thread-safe.
 */
@Singleton
public final class IncidentLog implements TimedRecords {
  public static final String TABLE = "incidents";
  /** How long after it happened an incident is kept: the card networks' dispute window, as the payment records. */
  public static final Duration KEPT_FOR = PaymentSettings.CREDENTIAL_RETENTION;
  /** The event time before which incidents were deleted (so a replay of older input does not record them again). */
  static final String DELETED_BEFORE = "incidents_deleted_before";
  /** The ids of incidents deleted at a person's request, so that a replay or a restart does not record them again. */
  static final String ERASED = "incidents_erased";

  private final KeyedTable table;
  private final KeyedTable deletedBefore;
  private final KeyedTable erased;
  private volatile long deletedUntil;
  private final Clock clock;
  private final MeterRegistry registry;
  private final List<Subscriber> subscribers = new ArrayList<>();

  @Inject
  public IncidentLog(StoreStorage storage, ReceiptBook receipts, Clock clock, MeterRegistry registry) {
    this.table = storage.table(TABLE);
    this.deletedBefore = storage.table(DELETED_BEFORE);
    this.erased = storage.table(ERASED);
    this.deletedUntil = deletedBefore.get("ts").map(v -> Long.parseLong(new String(v.value(),
        StandardCharsets.US_ASCII))).orElse(Long.MIN_VALUE);
    this.clock = clock;
    this.registry = registry;
    for (IncidentKind kind : List.of(IncidentKind.TAILGATING, IncidentKind.UNPAID_EXIT, IncidentKind.UNMATCHED_EXIT,
        IncidentKind.OVER_OFFLINE_CAP)) {
      registry.counter("jwo.incidents", "kind", tag(kind));
    }
    receipts.addListener(this::checkPaid);
    receipts.all().forEach(this::checkPaid);
  }

  /**
   * Records that {@code track} came in through {@code gate} at {@code ts} without a place in an admitted party.
   *
   * @param behind the party admitted last at the gate, all of whose places were taken, if any
   * @return whether it was new
   */
  public boolean tailgating(GateId gate, TrackId track, long ts, @Nullable VisitId behind, int behindPartySize) {
    String id = tailgatingId(gate, track, ts);
    Incident.Builder b = Incident.newBuilder().setIncidentId(id).setKind(IncidentKind.TAILGATING).setTsMs(ts)
        .setGateId(gate.value()).setTrackId(track.value());
    if (behind != null) {
      b.setVisitId(behind.value()).setDescription("track " + track + " came in through gate " + gate
          + " behind a party admitted for " + behindPartySize + (behindPartySize == 1 ? " person" : " people")
          + " whose places were all taken");
    } else {
      b.setDescription("track " + track + " came in through gate " + gate + " while no party was being admitted");
    }
    return record(b.build());
  }

  /** The id of the tailgating incident of {@code track} coming in through {@code gate} at {@code ts}. */
  public static String tailgatingId(GateId gate, TrackId track, long ts) {
    return "tailgating/" + gate.value() + "/" + ts + "/" + track.value();
  }

  /**
   * Records that someone left through {@code gate} at {@code ts} with no credential to charge: the exit matched no
   * admitted shopper while the person of tailgating incident {@code tailgating} was still inside.
   *
   * @return whether it was new
   */
  public boolean exitWithoutCredential(GateId gate, long ts, String tailgating) {
    return record(Incident.newBuilder().setIncidentId("unpaid-exit/no-credential/" + gate.value() + "/" + ts)
        .setKind(IncidentKind.UNPAID_EXIT).setTsMs(ts).setGateId(gate.value())
        .setDescription("someone left through gate " + gate + " with no credential to charge: the exit matched no"
            + " admitted shopper while the person of " + tailgating + " was inside; whatever they took is unpaid")
        .build());
  }

  /**
   * Records that someone left through {@code gate} at {@code ts} whom tracking matched to no admitted shopper, while
   * nobody who came in without a scan was known to be inside. No visit is ended or charged for it.
   *
   * @return whether it was new
   */
  public boolean unmatchedExit(GateId gate, long ts) {
    return record(Incident.newBuilder().setIncidentId("unmatched-exit/" + gate.value() + "/" + ts)
        .setKind(IncidentKind.UNMATCHED_EXIT).setTsMs(ts).setGateId(gate.value())
        .setDescription("someone left through gate " + gate + " whom tracking matched to no admitted shopper; no"
            + " visit was ended or charged for it (a visit ends only on its own shoppers' exits)")
        .build());
  }

  private void checkPaid(Receipt receipt) {
    Optional<String> overCap = VisitPayments.overOfflineCap(receipt);
    if (overCap.isPresent()) {
      record(Incident.newBuilder().setIncidentId("over-offline-cap/" + receipt.visitId().value())
          .setKind(IncidentKind.OVER_OFFLINE_CAP)
          .setTsMs(receipt.exitTs() != null ? receipt.exitTs() : receipt.finalizedTs())
          .setVisitId(receipt.visitId().value())
          .setAmount(SensorEventProtos.toProto(receipt.total()))
          .setDescription("visit " + receipt.visitId() + " was " + overCap.get())
          .build());
      return;
    }
    Optional<String> failure = VisitPayments.paymentFailure(receipt);
    if (failure.isEmpty() || receipt.items().isEmpty()) {
      return;
    }
    record(Incident.newBuilder().setIncidentId("unpaid-exit/" + receipt.visitId().value())
        .setKind(IncidentKind.UNPAID_EXIT)
        .setTsMs(receipt.exitTs() != null ? receipt.exitTs() : receipt.finalizedTs())
        .setVisitId(receipt.visitId().value())
        .setAmount(SensorEventProtos.toProto(receipt.total()))
        .setDescription("visit " + receipt.visitId() + " left with " + receipt.items().size()
            + (receipt.items().size() == 1 ? " line" : " lines") + " worth " + receipt.total()
            + " that could not be charged: " + failure.get())
        .build());
  }

  /** Records {@code incident} unless one with its id was recorded before; returns whether it was new. */
  boolean record(Incident incident) {
    if (incident.getTsMs() < deletedUntil) {
      return false; // its retention is over: input replayed after it was deleted
    }
    if (erased.get(erasedKey(incident.getIncidentId())).isPresent()) {
      return false; // deleted at the request of the person of its visit
    }
    Incident stamped = incident.toBuilder().setRecordedAtMs(clock.millis()).build();
    synchronized (this) {
      try {
        table.put(incident.getIncidentId(), stamped.toByteArray(), KeyedTable.ABSENT);
      } catch (VersionConflictException e) {
        return false;
      }
      registry.counter("jwo.incidents", "kind", tag(incident.getKind())).increment();
      for (Subscriber s : List.copyOf(subscribers)) {
        if (s.filter.test(stamped)) {
          s.consumer.accept(stamped);
        }
      }
    }
    return true;
  }

  @Override
  public String where() {
    return "incident (table " + TABLE + ")";
  }

  @Override
  public DataCategory category() {
    return DataCategory.LOCATION_TRACK;
  }

  @Override
  public Duration keptFor() {
    return KEPT_FOR;
  }

  /** Deletes the incidents that happened before {@code ts}; they name no person (visit and track ids only). */
  @Override
  public synchronized Map<String, Integer> deleteBefore(long ts, Predicate<String> held) {
    if (ts > deletedUntil) {
      deletedBefore.put("ts", Long.toString(ts).getBytes(StandardCharsets.US_ASCII), KeyedTable.ANY_VERSION);
      deletedUntil = ts;
    }
    int deleted = 0;
    for (KeyedValue row : table.scan("")) {
      if (parse(row.key(), row.value().value()).getTsMs() < ts && table.delete(row.key())) {
        deleted++;
      }
    }
    for (KeyedValue row : erased.scan("")) {
      if (Long.parseLong(new String(row.value().value(), StandardCharsets.US_ASCII)) < ts) {
        erased.delete(row.key()); // older than the schedule: deletedUntil keeps it out now
      }
    }
    return deleted == 0 ? Map.of() : Map.of("", deleted);
  }

  /**
   * Deletes the incidents of the person's visits (an unpaid exit, a tailgating behind their party), remembering a
   * hash of their ids (table {@value #ERASED}) so that a replay does not record them again; the hashes go with the
   * incidents' schedule.
   */
  @Override
  public synchronized int deleteAbout(String subject, Set<String> visits) {
    int deleted = 0;
    for (KeyedValue row : table.scan("")) {
      Incident incident = parse(row.key(), row.value().value());
      if (!incident.getVisitId().isEmpty() && visits.contains(incident.getVisitId())) {
        erased.put(erasedKey(row.key()), Long.toString(incident.getTsMs()).getBytes(StandardCharsets.US_ASCII),
            KeyedTable.ANY_VERSION);
        if (table.delete(row.key())) {
          deleted++;
        }
      }
    }
    return deleted;
  }

  /** The key of an erased incident: a SHA-256 of its id, so that no id of a deleted incident is kept. */
  private static String erasedKey(String incidentId) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(incidentId.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /** Every incident recorded, oldest first (by event time, then id). */
  public List<Incident> all() {
    List<Incident> all = new ArrayList<>();
    for (KeyedValue row : table.scan("")) {
      all.add(parse(row.key(), row.value().value()));
    }
    all.sort(Comparator.comparingLong(Incident::getTsMs).thenComparing(Incident::getIncidentId));
    return all;
  }

  /** How many incidents of {@code kind} were recorded, over all time. */
  public long count(IncidentKind kind) {
    return all().stream().filter(i -> i.getKind() == kind).count();
  }

  /**
   * The incidents matching {@code filter} so far, oldest first, given to {@code consumer} now, and every later one
   * as it is recorded (on the recording thread; the consumer must not block), with nothing missed or repeated in
   * between.
   *
   * @return cancels the subscription
   */
  public Runnable subscribe(Predicate<Incident> filter, Consumer<Incident> consumer) {
    Subscriber subscriber = new Subscriber(filter, consumer);
    synchronized (this) {
      all().stream().filter(filter).forEach(consumer);
      subscribers.add(subscriber);
    }
    return () -> {
      synchronized (this) {
        subscribers.remove(subscriber);
      }
    };
  }

  private record Subscriber(Predicate<Incident> filter, Consumer<Incident> consumer) {}

  static String tag(IncidentKind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  private static Incident parse(String key, byte[] bytes) {
    try {
      return Incident.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new StorageException("incident '" + key + "' cannot be read: " + e.getMessage(), false, e);
    }
  }
}
