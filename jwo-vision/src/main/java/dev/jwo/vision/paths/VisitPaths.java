package dev.jwo.vision.paths;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jwo.compliance.ComplianceGuard;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.DataUse;
import dev.jwo.compliance.GuardDecision;
import dev.jwo.compliance.Purpose;
import dev.jwo.compliance.documents.DocumentRenderer;
import dev.jwo.compliance.keys.Subjects;
import dev.jwo.compliance.retention.TimedRecords;
import dev.jwo.compliance.subject.SubjectRecords;
import dev.jwo.compliance.subject.SubjectSection;
import dev.jwo.core.Position;
import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.KeyedValue;
import dev.jwo.core.storage.StorageException;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.VersionConflictException;
import dev.jwo.core.visit.Admission;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The path each visit's party walked (location data, not biometric): where each of its shoppers' tracks was, sampled
 * once a second ({@link #SAMPLE_EVERY_MILLIS}) while the vision stage held the track for the visit, as positions on
 * the floor and times, no image, feature or credential. Held in memory while the visit lasts and kept, when the visit
 * ends and the guard allows keeping its location for checkout tracking, as one row of table {@value #TABLE} keyed by
 * visit, naming the payer by keyed subject. Shown to the person in their access request ({@link SubjectRecords}),
 * deleted {@link #KEPT_FOR} after the visit on the payment module's daily sweep, unless a legal hold covers the person,
 * and at their deletion request, after which a tombstone (the visit id and its end, naming nobody) keeps input
 * replayed later from writing it again ({@link TimedRecords}). Thread-safe.
 */
@Singleton
public final class VisitPaths implements SubjectRecords, TimedRecords {
  /** The table of kept paths, one row per visit. */
  public static final String TABLE = "vision_visit_paths";
  /** How long a visit's path is kept after the visit ended, as the published documents say. */
  public static final Duration KEPT_FOR = Duration.ofDays(DocumentRenderer.PATH_KEPT_DAYS);
  /** The least time between two samples of one track. */
  public static final long SAMPLE_EVERY_MILLIS = 1_000;
  /** A row's size limit: a longer path keeps every second sample until it fits. */
  static final int MAX_ROW_BYTES = 900_000;

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES);

  private final KeyedTable table;
  private final ComplianceGuard guard;
  private final Subjects subjects;
  private final MeterRegistry registry;
  private final Map<VisitId, Walk> walking = new LinkedHashMap<>();

  @Inject
  public VisitPaths(StoreStorage storage, ComplianceGuard guard, Subjects subjects, MeterRegistry registry) {
    this.table = storage.table(TABLE);
    this.guard = guard;
    this.subjects = subjects;
    this.registry = registry;
  }

  /** One position of one of the visit's shoppers: event time, track, metres on the floor (to the centimetre). */
  public record Sample(long ts, String track, double x, double y) {}

  /**
   * A visit's kept path, or the tombstone of one deleted on request ({@code erased}: no subject, no samples).
   *
   * @param subject the payer's keyed subject
   */
  public record StoredPath(String visit, String subject, long enteredTs, long endedTs, boolean erased,
      List<Sample> samples) {
    public StoredPath {
      samples = List.copyOf(samples);
    }
  }

  /** Notes where {@code track}, held for {@code visit}, is at {@code ts}, if a second has passed since its last. */
  public synchronized void sample(VisitId visit, TrackId track, Position position, long ts) {
    Walk walk = walking.computeIfAbsent(visit, v -> new Walk());
    Long last = walk.lastTs.get(track.value());
    if (last != null && ts - last < SAMPLE_EVERY_MILLIS) {
      return;
    }
    walk.lastTs.put(track.value(), ts);
    walk.samples.add(new Sample(ts, track.value(), Math.round(position.x() * 100) / 100.0,
        Math.round(position.y() * 100) / 100.0));
  }

  /**
   * Keeps the path of the visit that ended at {@code exitTs}, if the guard allows keeping its location; a path kept
   * already (input replayed after a restart) or deleted on request is not written again.
   *
   * @throws StorageException if the storage fails; the path is then not kept
   */
  public synchronized void visitEnded(Admission admission, long exitTs) {
    Walk walk = walking.remove(admission.visitId());
    List<Sample> samples = walk == null ? List.of() : walk.samples;
    GuardDecision decision = guard.check(new DataUse(DataCategory.LOCATION_TRACK, Purpose.CHECKOUT_TRACKING,
        admission, exitTs));
    if (!decision.allowed()) {
      registry.counter("jwo.vision.paths", "outcome", "refused").increment();
      return;
    }
    StoredPath path = new StoredPath(admission.visitId().value(), subjects.of(admission.credential()),
        admission.ts(), exitTs, false, samples);
    try {
      table.put(admission.visitId().value(), fitted(path), KeyedTable.ABSENT);
      registry.counter("jwo.vision.paths", "outcome", "kept").increment();
    } catch (VersionConflictException e) {
      registry.counter("jwo.vision.paths", "outcome", "kept_already").increment();
    }
  }

  /** The kept path (or tombstone) of {@code visit}. */
  public synchronized Optional<StoredPath> path(VisitId visit) {
    return table.get(visit.value()).map(v -> parse(visit.value(), v.value()));
  }

  @Override
  public synchronized List<SubjectSection> about(String subject, Set<String> visits) {
    List<String> lines = new ArrayList<>();
    for (String visit : new TreeSet<>(visits)) {
      Optional<StoredPath> path = path(VisitId.of(visit)).filter(p -> !p.erased());
      if (path.isEmpty()) {
        continue;
      }
      Map<String, List<Sample>> byTrack = new TreeMap<>();
      path.get().samples().forEach(s -> byTrack.computeIfAbsent(s.track(), t -> new ArrayList<>()).add(s));
      if (byTrack.isEmpty()) {
        lines.add("Visit " + visit + ": no position was kept.");
      }
      byTrack.forEach((track, samples) -> {
        StringBuilder line = new StringBuilder("Visit ").append(visit).append(", a shopper of your party (track ")
            .append(track).append("), position in metres on the store's floor plan:");
        samples.forEach(s -> line.append(' ').append(Instant.ofEpochMilli(s.ts())).append(" (").append(s.x())
            .append(", ").append(s.y()).append(')'));
        lines.add(line.append('.').toString());
      });
    }
    return List.of(new SubjectSection("The path you walked in the store", EnumSet.of(DataCategory.LOCATION_TRACK),
        lines));
  }

  @Override
  public String where() {
    return "path walked (table " + TABLE + ")";
  }

  @Override
  public DataCategory category() {
    return DataCategory.LOCATION_TRACK;
  }

  @Override
  public Duration keptFor() {
    return KEPT_FOR;
  }

  @Override
  public synchronized Map<String, Integer> deleteBefore(long ts, Predicate<String> held) {
    Map<String, Integer> deleted = new TreeMap<>();
    for (KeyedValue row : table.scan("")) {
      StoredPath path = parse(row.key(), row.value().value());
      if (path.endedTs() >= ts || (!path.erased() && held.test(path.subject()))) {
        continue;
      }
      if (table.delete(row.key()) && !path.erased()) {
        deleted.merge(path.subject(), 1, Integer::sum);
      }
    }
    return deleted;
  }

  @Override
  public synchronized int deleteAbout(String subject, Set<String> visits) {
    int deleted = 0;
    for (KeyedValue row : table.scan("")) {
      StoredPath path = parse(row.key(), row.value().value());
      if (path.erased() || (!visits.contains(path.visit()) && !path.subject().equals(subject))) {
        continue;
      }
      StoredPath tombstone = new StoredPath(path.visit(), "", path.enteredTs(), path.endedTs(), true, List.of());
      try {
        table.put(row.key(), fitted(tombstone), row.value().version());
        deleted++;
      } catch (VersionConflictException e) {
        throw new StorageException("the path of visit " + path.visit() + " changed while it was being deleted; ask"
            + " again", true, e);
      }
    }
    return deleted;
  }

  /** The row of {@code path}, every second sample dropped until it fits in {@link #MAX_ROW_BYTES}. */
  private static byte[] fitted(StoredPath path) {
    StoredPath fitting = path;
    while (true) {
      byte[] row;
      try {
        row = JSON.writeValueAsBytes(fitting);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a path cannot be written: " + e.getMessage(), e);
      }
      if (row.length <= MAX_ROW_BYTES) {
        return row;
      }
      List<Sample> fewer = new ArrayList<>();
      for (int i = 0; i < fitting.samples().size(); i += 2) {
        fewer.add(fitting.samples().get(i));
      }
      fitting = new StoredPath(path.visit(), path.subject(), path.enteredTs(), path.endedTs(), false, fewer);
    }
  }

  private static StoredPath parse(String key, byte[] row) {
    try {
      return JSON.readValue(row, StoredPath.class);
    } catch (IOException e) {
      throw new StorageException("the path of visit " + key + " in table " + TABLE + " cannot be read: "
          + e.getMessage(), false, e);
    }
  }

  /** What a visit in the store walked so far. */
  private static final class Walk {
    final Map<String, Long> lastTs = new LinkedHashMap<>();
    final List<Sample> samples = new ArrayList<>();
  }
}
